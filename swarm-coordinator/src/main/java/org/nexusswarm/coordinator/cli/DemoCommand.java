package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.nexusswarm.coordinator.demo.DemoReport;
import org.nexusswarm.coordinator.demo.DemoScenario;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.packs.RailOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm demo}: a one-node swarm on the embedded Cassandra running the drought-watch rail. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a one-node swarm (and the embedded Cassandra), run the climate drought-watch rail "
                + "with a rogue agent, and print what the safety layer decided.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    CassandraOptions cassandra;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;


    @Option(names = "--agents", description = "Agents in the rail, one of them rogue (default 100, from nexus.swarm.packs.rail-defaults).")
    Integer agents;

    @Option(names = "--delegators", description = "Delegators (default 3); each computation runs on up to 3 of them.")
    Integer delegators;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of sensor readings (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--keep-cassandra", description = "Leave the embedded Cassandra running afterwards (faster next run).")
    boolean keepCassandra;

    /** The configured rail defaults with the flags on top; replicas and quorum shrink to fit few delegators. */
    private RailOptions railOptions(Config config) {
        RailOptions base = RailOptions.from(config.getConfig("nexus.swarm.packs.rail-defaults"));
        int a = agents == null ? base.agents() : agents;
        int d = delegators == null ? base.delegators() : delegators;
        if (a < 2 || d < 1 || rounds < 1) {
            throw new UserError(ExitCodes.USAGE, "--agents must be at least 2, --delegators and --rounds at least 1");
        }
        int replicas = Math.min(base.replicas(), d);
        int quorum = Math.min(base.quorum(), replicas);
        try {
            // Each run deploys a fresh instance of the rail, so its journals start empty; earlier runs' journals
            // stay in Cassandra for review (and their quarantines stay in force).
            String instance = "drought-watch-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
            return new RailOptions(a, d, Math.min(base.rogueAgents(), a - 1), replicas, quorum, base.seed(), instance);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "rail options: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Config config = cassandra.loadConfig();
        if (System.getenv("NEXUS_OPERATOR_API_PORT") == null && System.getProperty("nexus.swarm.operator-api.port") == null) {
            // A one-shot demo needs no fixed operator port: any free one avoids clashing with a running node.
            config = config.withValue("nexus.swarm.operator-api.port",
                    com.typesafe.config.ConfigValueFactory.fromAnyRef(0));
        }
        RailOptions railOptions = railOptions(config);
        out.println("Nexus Swarm demo (profile " + config.getString("nexus.swarm.profile") + ")");
        Path lockDir = Path.of(config.getString("nexus.swarm.cassandra.embedded.data-dir")).toAbsolutePath().getParent();
        try (DemoLock lock = DemoLock.acquire(lockDir);
                CassandraConnection cassandraConnection = CassandraConnection.open(config, keepCassandra, out)) {
            Config nodeConfig = cassandraConnection.apply(config);
            DemoReport report;
            try (SwarmNode node = SwarmNode.start(nodeConfig, Duration.ofSeconds(30))) {
                out.println("Node up: " + node.system().address() + " (one-node cluster; sharding: node, agent, "
                        + "delegator, orchestrator; operator API " + node.operatorApiUrl() + ")");
                DemoScenario.Options options = new DemoScenario.Options("climate", "drought-watch", railOptions,
                        rounds, Duration.ofSeconds(180));
                report = new DemoScenario(node, options, out).run();
            }
            DemoSummary.print(report, cassandraConnection.describe(nodeConfig), out);
            if (cassandraConnection.stopsOnClose()) {
                out.println("Stopping the embedded Cassandra (use --keep-cassandra to leave it running) ...");
            }
        }
        out.printf("Done in %.1f s.%n", Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
        return ExitCodes.OK;
    }
}
