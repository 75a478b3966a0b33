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


    @Option(names = "--agents", defaultValue = "100", description = "Agents in the rail (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--delegators", defaultValue = "3", description = "Delegators (default ${DEFAULT-VALUE}).")
    int delegators;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of sensor readings (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--keep-cassandra", description = "Leave the embedded Cassandra running afterwards (faster next run).")
    boolean keepCassandra;

    @Override
    public Integer call() throws Exception {
        if (agents < 2 || delegators < 1 || rounds < 1) {
            throw new UserError(ExitCodes.USAGE, "--agents must be at least 2, --delegators and --rounds at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Config config = cassandra.loadConfig();
        out.println("Nexus Swarm demo (profile " + config.getString("nexus.swarm.profile") + ")");
        Path lockDir = Path.of(config.getString("nexus.swarm.cassandra.embedded.data-dir")).toAbsolutePath().getParent();
        try (DemoLock lock = DemoLock.acquire(lockDir);
                CassandraConnection cassandraConnection = CassandraConnection.open(config, keepCassandra, out)) {
            Config nodeConfig = cassandraConnection.apply(config);
            DemoReport report;
            try (SwarmNode node = SwarmNode.start(nodeConfig, Duration.ofSeconds(30))) {
                out.println("Node up: " + node.system().address() + " (one-node cluster; sharding: node, agent, "
                        + "delegator, orchestrator)");
                RailOptions railOptions = new RailOptions(agents, delegators, 1, 3, 2, 42);
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
