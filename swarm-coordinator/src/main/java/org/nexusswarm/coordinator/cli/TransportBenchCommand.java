package org.nexusswarm.coordinator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.nexusswarm.coordinator.bench.BenchTable;
import org.nexusswarm.coordinator.transport.NodeCertificates;
import org.nexusswarm.coordinator.transport.RoundTrips;
import org.nexusswarm.coordinator.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code swarm bench-transports}: round trips per second between two JVMs on each Artery transport. */
@Command(name = "bench-transports", mixinStandardHelpOptions = true,
        description = "Start a second JVM per transport (tcp, tls-tcp with fresh certificates, aeron-udp) and measure "
                + "round trips per second, one in flight and 100 in flight, in one run; one table.")
final class TransportBenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--round-trips", defaultValue = "5000", description = "Round trips per measure (default ${DEFAULT-VALUE}).")
    int roundTrips;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (roundTrips < 100) {
            throw new UserError(ExitCodes.USAGE, "--round-trips must be at least 100");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path certs = Files.createTempDirectory("nexus-bench-tls");
        NodeCertificates.generate(certs, List.of("echo", "measure"));
        BenchTable table = new BenchTable().note("cores", Runtime.getRuntime().availableProcessors())
                .note("roundTrips", roundTrips);
        for (String transport : Transports.NAMES) {
            out.println(transport + ": starting the far JVM, " + roundTrips + " round trips twice ...");
            out.flush();
            try (RoundTrips trips = new RoundTrips(transport, certs, "measure", Duration.ofSeconds(60))) {
                trips.measure(transport, Math.max(100, roundTrips / 10)); // warm-up
                RoundTrips.Rates r = trips.measure(transport, roundTrips);
                table.add(transport + ", 1 in flight", r.oneInFlight(), "round trips/s");
                table.add(transport + ", 100 in flight", r.hundredInFlight(), "round trips/s");
            }
        }
        out.println();
        table.print(out);
        if (json != null) {
            table.writeJson(json);
            out.println("Wrote " + json);
        }
        return ExitCodes.OK;
    }
}
