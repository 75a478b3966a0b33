package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nexusswarm.clusterconfig.DevCassandra;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code swarm cassandra start|stop|status}: manage the embedded dev Cassandra by hand. */
@Command(name = "cassandra", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect the embedded dev Cassandra (start leaves it running for later commands).")
final class CassandraAdminCommand implements Callable<Integer> {

    enum Action { start, stop, status }

    @Parameters(paramLabel = "ACTION", description = "start, stop or status")
    Action action;

    @Mixin
    CassandraOptions cassandra;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;


    @Override
    public Integer call() {
        java.io.PrintWriter out = spec.commandLine().getOut();
        Config config = cassandra.loadConfig();
        Path dataDir = Path.of(config.getString("nexus.swarm.cassandra.embedded.data-dir")).toAbsolutePath();
        switch (action) {
            case start -> {
                try (CassandraConnection c = CassandraConnection.open(config, true, out)) {
                    out.println("Running: " + c.describe(config) + ". Stop it with './swarm cassandra stop'.");
                }
            }
            case stop -> out.println(DevCassandra.stop(dataDir)
                    ? "Stopped the embedded Cassandra of " + dataDir + "."
                    : "No embedded Cassandra is running for " + dataDir + ".");
            case status -> {
                var running = DevCassandra.running(dataDir);
                out.println(running.map(r -> "Running: " + r).orElse("Not running (data dir " + dataDir + ")."));
                return running.isPresent() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
            }
        }
        return ExitCodes.OK;
    }
}
