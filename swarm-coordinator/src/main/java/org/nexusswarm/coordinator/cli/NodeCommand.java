package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.coordinator.demo.DemoScenario;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.coordinator.rail.RailPolicies;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code swarm node}: runs a swarm node until it is stopped (Ctrl-C) — the node operators talk to with
 * {@code swarm approvals|kill|lift|release|policy|credentials revoke --node URL}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a swarm node (and the embedded Cassandra unless --cassandra is given) until stopped.")
final class NodeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--rail", paramLabel = "PACK/RAIL", description = "Deploy a rail, e.g. climate/drought-watch.")
    String rail;

    @Option(names = "--instance", description = "Entity id prefix of the deployed rail (default: the rail's name).")
    String instance;

    @Option(names = "--operator", paramLabel = "NAME=DID",
            description = "Admit an operator (repeatable): its signed kill, lift, release, policy and revocation "
                    + "requests are accepted by this node.")
    List<String> operators = new ArrayList<>();

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until stopped).")
    Integer seconds;

    @Option(names = "--keep-cassandra", description = "Leave the embedded Cassandra running when the node stops.")
    boolean keepCassandra;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config config = cassandra.loadConfig();
        List<String[]> admitted = parseOperators();
        try (CassandraConnection connection = CassandraConnection.open(config, keepCassandra, out);
                SwarmNode node = SwarmNode.start(connection.apply(config), Duration.ofSeconds(30))) {
            out.println("Node up: " + node.system().address() + ", operator API " + node.operatorApiUrl());
            for (String[] o : admitted) {
                // Journaled, so every node admits it, also after a full-cluster restart; else this node only.
                java.util.Optional<String> notJournaled = node.admitOperator(o[0], o[1]);
                if (notJournaled.isPresent()) {
                    node.registry().identities().admit(new Did(o[1]), "operator:" + o[0]);
                    out.println("  operator:" + o[0] + " admitted on this node only (" + o[1] + "); not journaled: "
                            + notJournaled.get());
                } else {
                    out.println("  operator:" + o[0] + " admitted cluster-wide, journaled (" + o[1] + ")");
                }
            }
            if (rail != null) {
                deploy(node, out);
            }
            out.println("Journals: " + connection.describe(config) + ". Stop with Ctrl-C.");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "swarm-node-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            if (seconds == null) {
                stop.await();
            } else {
                stop.await(seconds, TimeUnit.SECONDS);
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            out.println("Stopping the node ...");
        }
        return ExitCodes.OK;
    }

    private List<String[]> parseOperators() {
        List<String[]> parsed = new ArrayList<>();
        for (String o : operators) {
            int eq = o.indexOf('=');
            if (eq <= 0 || !o.substring(eq + 1).startsWith(Did.PREFIX)) {
                throw new UserError(ExitCodes.USAGE, "--operator " + o + ": expected NAME=did:nexus:...");
            }
            parsed.add(new String[] {o.substring(0, eq), o.substring(eq + 1)});
        }
        return parsed;
    }

    private void deploy(SwarmNode node, PrintWriter out) throws Exception {
        int slash = rail.indexOf('/');
        if (slash <= 0) {
            throw new UserError(ExitCodes.USAGE, "--rail " + rail + ": expected PACK/RAIL, e.g. climate/drought-watch");
        }
        Pack pack;
        try {
            // Pack admission (signed manifest, bytecode check) before anything of the pack runs.
            pack = org.nexusswarm.coordinator.rail.PackGate.admit(node.system().settings().config(),
                    rail.substring(0, slash), false, out);
        } catch (org.nexusswarm.packs.admission.PackAdmission.PackRefusedException e) {
            throw new UserError(ExitCodes.REFUSED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        RailOptions options = RailOptions.from(node.system().settings().config()
                .getConfig("nexus.swarm.packs.rail-defaults"));
        if (instance != null) {
            options = options.withInstance(instance);
        }
        DeployedRail deployed;
        try {
            deployed = RailDeployer.deploy(node.registry(), pack.rail(rail.substring(slash + 1), options));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        var policy = RailPolicies.install(node.system(), node.bootstrapOperator(), pack, deployed.blueprint(),
                node.askTimeout());
        out.println("Deployed " + rail + ": " + DemoScenario.describe(deployed.countByKind()) + "; policy "
                + policy.map(p -> p.scope() + "@" + p.version()).orElse("none (every action denied)"));
    }
}
