package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.coordinator.demo.DemoScenario;
import org.nexusswarm.coordinator.node.NodeRoles;
import org.nexusswarm.coordinator.node.StopSignals;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.RailDeployment;
import org.nexusswarm.coordinator.rail.RailDeployments;
import org.nexusswarm.coordinator.rail.RailHostingRefused;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code swarm node}: runs a swarm node until it is stopped (Ctrl-C) — the node operators talk to with
 * {@code swarm approvals|kill|lift|release|policy|credentials revoke --node URL}.
 */
@Command(name = "node", mixinStandardHelpOptions = true, subcommands = NodeLeaveCommand.class,
        description = "Run a swarm node (and the embedded Cassandra unless --cassandra is given) until stopped.")
final class NodeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CassandraOptions cassandra;

    @Mixin
    TransportOptions transport;

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

    @Option(names = "--roles", split = ",", paramLabel = "ROLE[,ROLE]",
            description = "Entity kinds this node hosts: agents, delegators, orchestrators, nodes (default: all).")
    List<String> roles = new ArrayList<>();

    @Option(names = "--join", paramLabel = "HOST:PORT",
            description = "Join the cluster whose node listens there (Artery host:port of a seed) instead of the "
                    + "profile's seed nodes.")
    String join;

    @Option(names = "--port", paramLabel = "PORT",
            description = "This node's Artery port (default: the profile's; 0 = any free port).")
    Integer port;

    @Option(names = "--keep-cassandra", description = "Leave the embedded Cassandra running when the node stops.")
    boolean keepCassandra;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config config;
        try {
            config = joinAndPort(transport.apply(NodeRoles.withRoles(cassandra.loadConfig(),
                    roles.isEmpty() ? List.of() : NodeRoles.parse(roles))), join, port);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--roles: " + e.getMessage());
        }
        List<String[]> admitted = parseOperators();
        Duration joinTimeout = config.getDuration("nexus.swarm.cluster.join-timeout");
        List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
        try (StopSignals stop = StopSignals.install();
                CassandraConnection connection = CassandraConnection.open(config, keepCassandra, out);
                SwarmNode node = startNode(connection.apply(config), seeds, joinTimeout, out)) {
            out.println("Node up: " + node.system().address() + ", operator API " + node.operatorApiUrl()
                    + ", roles " + String.join(",", node.roles()));
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
            var missing = node.missingRoles();
            if (!missing.isEmpty()) {
                out.println("Warning: " + NodeRoles.describeMissing(missing) + ".");
            }
            out.println("Journals: " + connection.describe(config) + ". Stop with Ctrl-C.");
            out.flush();
            StopSignals.Reason why = stop.await(Optional.ofNullable(seconds).map(Duration::ofSeconds),
                    node.system().getWhenTerminated());
            out.println(switch (why) {
                case TIMER -> "Time is up (--for " + seconds + ").";
                case SIGNAL -> "Stop requested.";
                case TERMINATED -> "The node's actor system has stopped (" + shutdownReason(node) + ").";
            });
            if (why == StopSignals.Reason.TERMINATED) {
                failIfRefusedOrDowned(node);
            }
            out.println("Stopping the node ...");
            out.flush();
        }
        out.println("Node stopped.");
        return ExitCodes.OK;
    }

    /** {@code config} joining {@code join} (HOST:PORT of a seed's Artery) and listening on {@code port}. */
    static Config joinAndPort(Config config, String join, Integer port) {
        Config c = config;
        if (join != null) {
            if (!join.matches("[A-Za-z0-9.\\-]+:\\d{1,5}")) {
                throw new UserError(ExitCodes.USAGE, "--join " + join + ": expected HOST:PORT, e.g. 127.0.0.1:25520");
            }
            c = c.withValue("pekko.cluster.seed-nodes", com.typesafe.config.ConfigValueFactory.fromIterable(
                    List.of("pekko://" + SwarmNode.SYSTEM_NAME + "@" + join)));
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new UserError(ExitCodes.USAGE, "--port must be 0-65535");
            }
            c = c.withValue("pekko.remote.artery.canonical.port", com.typesafe.config.ConfigValueFactory.fromAnyRef(port));
        }
        return c;
    }

    private static String shutdownReason(SwarmNode node) {
        var reason = org.apache.pekko.actor.CoordinatedShutdown.get(node.system()).getShutdownReason();
        if (reason.isEmpty()) {
            return "no reason given";
        }
        var r = reason.get();
        if (r == org.apache.pekko.actor.CoordinatedShutdown.clusterLeavingReason()) {
            return "it left the cluster";
        }
        if (r == org.apache.pekko.actor.CoordinatedShutdown.clusterDowningReason()) {
            return "it was downed";
        }
        if (r == org.apache.pekko.actor.CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
            return "refused at join";
        }
        return r.getClass().getSimpleName().replace("$", "");
    }

    /** Leaving on an operator's order is a clean stop; being refused at join or downed is not. */
    private static void failIfRefusedOrDowned(SwarmNode node) {
        var reason = org.apache.pekko.actor.CoordinatedShutdown.get(node.system()).getShutdownReason();
        if (reason.isEmpty()) {
            return;
        }
        var r = reason.get();
        if (r == org.apache.pekko.actor.CoordinatedShutdown.incompatibleConfigurationDetectedReason()) {
            throw new UserError(ExitCodes.REFUSED, "the cluster refused this node at join: its configuration is "
                    + "incompatible (the log above names the setting, e.g. another Nexus Swarm build's message "
                    + "registrations, or another downing provider)");
        }
        if (r == org.apache.pekko.actor.CoordinatedShutdown.clusterDowningReason()) {
            throw new UserError(ExitCodes.FAILURE, "this node was downed by the cluster (split-brain resolver or "
                    + "an operator): its entities now live on the other nodes");
        }
    }

    private static SwarmNode startNode(Config config, List<String> seeds, Duration joinTimeout, PrintWriter out) {
        if (!seeds.isEmpty()) {
            out.println("Joining the cluster via " + String.join(", ", seeds) + " (giving up after "
                    + joinTimeout.toSeconds() + " s) ...");
            out.flush();
        }
        return SwarmNode.start(config, joinTimeout);
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

    /**
     * Deploys the rail cluster-wide (secret in the node keystore, record in the rail deployment registry), or,
     * when the instance is already deployed, hosts it from its record with this node's copy of the secret.
     */
    private void deploy(SwarmNode node, PrintWriter out) throws Exception {
        int slash = rail.indexOf('/');
        if (slash <= 0) {
            throw new UserError(ExitCodes.USAGE, "--rail " + rail + ": expected PACK/RAIL, e.g. climate/drought-watch");
        }
        RailDeployments.Deployed deployed;
        try {
            deployed = node.rails().deploy(rail.substring(0, slash), rail.substring(slash + 1), instance, false, true,
                    out);
        } catch (RailDeployments.DeploymentRefused e) {
            throw new UserError(e.kind() == RailDeployments.DeploymentRefused.Kind.INVALID ? ExitCodes.USAGE
                    : ExitCodes.REFUSED, e.getMessage());
        } catch (RailHostingRefused e) {
            throw new UserError(ExitCodes.REFUSED, e.getMessage());
        }
        RailDeployment record = deployed.record();
        out.println((deployed.created() ? "Deployed " : "Hosting the deployed ") + rail + ": "
                + DemoScenario.describe(deployed.rail().countByKind()) + "; policy "
                + (record.policyVersion() > 0 ? "rail:" + record.rail() + "@" + record.policyVersion()
                        : "none (every action denied)") + "; instance " + record.instance()
                + " (in the rail deployment registry; nodes holding its secret host it)");
    }
}
