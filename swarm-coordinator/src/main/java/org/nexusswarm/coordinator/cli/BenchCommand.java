package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.nexusswarm.coordinator.bench.JournaledBenchmark;
import org.nexusswarm.coordinator.bench.PlainJournaledBaseline;
import org.nexusswarm.coordinator.bench.ThroughputBenchmark;
import org.nexusswarm.coordinator.node.SwarmNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm bench}: the safety layer's cost, measured in one run, printed as a table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure supervised vs raw throughput, journaled decisions against Cassandra, and breach-to-stop time.")
final class BenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--messages", defaultValue = "200000", description = "Messages per throughput run (default ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--senders", defaultValue = "64", description = "Concurrent senders for journaled decisions (default ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--seconds", defaultValue = "20", description = "Duration of the journaled run (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--rogues", defaultValue = "50", description = "Entities killed by breach (default ${DEFAULT-VALUE}).")
    int rogues;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Nexus Swarm safety-layer benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
        out.println("1/4 throughput over Artery TCP on loopback, " + messages + " messages per run ...");
        var throughput = ThroughputBenchmark.run(messages);
        Config config = cassandra.loadConfig().withValue("nexus.swarm.operator-api.port",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(0));
        JournaledBenchmark.Decisions decisions;
        JournaledBenchmark.Decisions plain;
        PlainJournaledBaseline.Shape shape;
        JournaledBenchmark.Kills kills;
        try (CassandraConnection connection = CassandraConnection.open(config, false, out);
                SwarmNode node = SwarmNode.start(connection.apply(config), Duration.ofSeconds(30))) {
            JournaledBenchmark journaled = new JournaledBenchmark(node);
            out.println("2/4 journaled decisions against " + connection.endpoints() + ", " + senders + " senders, "
                    + seconds + " s ...");
            decisions = journaled.decisions(senders, Duration.ofSeconds(seconds));
            shape = journaled.shapeOfLastRun();
            out.printf("    baseline: plain Pekko event sourcing, %.2f events of %d bytes per decision (as the supervised"
                    + " run wrote), %d senders, %d s ...%n", shape.eventsPerDecision(), shape.bytesPerEvent(), senders,
                    seconds);
            plain = PlainJournaledBaseline.run(node.system(), shape, senders, Duration.ofSeconds(seconds));
            out.println("3/4 breach to child stopped, " + rogues + " rogue entities ...");
            kills = journaled.kills(rogues);
        }
        out.println("4/4 decoder fuzz, 100000 mutated inputs ...");
        var fuzz = org.nexusswarm.actors.serialization.DecoderFuzz.run(100_000, 42L);
        out.println();
        out.printf("%-44s %14s %10s%n", "measure", "value", "");
        for (var r : throughput) {
            out.printf("%-50s %8.0f %10s%n", r.name(), r.perSecond(), "msgs/s");
        }
        out.printf("%-44s %14.2f %10s%n", "supervised / raw, 1 entity", throughput.get(1).perSecond()
                / throughput.get(0).perSecond(), "x (target >= 0.8)");
        out.printf("%-44s %14.2f %10s%n", "supervised / raw, " + (throughput.size() > 2 ? "entities in parallel" : ""),
                throughput.get(2).perSecond() / throughput.get(0).perSecond(), "x (target >= 0.95)");
        out.printf("%-44s %14.0f %10s%n", "journaled decisions (Deliver->Observed->reply)", decisions.perSecond(), "per s");
        row(out, "decision latency p50", decisions.latencyMicros(), 50);
        row(out, "decision latency p99", decisions.latencyMicros(), 99);
        out.printf("%-44s %14.0f %10s%n", "plain event sourcing, same events", plain.perSecond(), "per s");
        row(out, "plain latency p50", plain.latencyMicros(), 50);
        row(out, "plain latency p99", plain.latencyMicros(), 99);
        out.printf("%-44s %14.2f %10s%n", "journaled supervised / plain", decisions.perSecond() / plain.perSecond(),
                "x (target >= 0.7)");
        out.printf("%-44s %14.2f %10s%n", "journaled p50 latency supervised / plain",
                ratio(decisions.latencyMicros(), plain.latencyMicros(), 50), "x");
        out.printf("%-44s %14.2f %10s%n", "journaled p99 latency supervised / plain",
                ratio(decisions.latencyMicros(), plain.latencyMicros(), 99), "x (target <= 1.5)");
        row(out, "breach -> child stopped p50", kills.micros(), 50);
        row(out, "breach -> child stopped p99", kills.micros(), 99);
        out.printf("%-44s %14.2f %10s%n", "breach -> child stopped max", kills.micros().getMaxValue() / 1000.0,
                "ms (target <= 100)");
        out.printf("%-44s %14.0f %10s%n", "decoder fuzz rate (typed refusals only)", fuzz.inputsPerSecond(), "inputs/s");
        out.printf("%-44s %14.2f %10s%n", "decoder fuzz slowest decode (<= 64 KB)", fuzz.slowestMillis(),
                "ms (target <= 10)");
        if (fuzz.escapedCount() > 0) {
            out.println("DECODER FAILURES THAT WERE NOT TYPED REFUSALS: " + fuzz.escaped());
        }
        out.println("(each accepted envelope also makes the logic propose an action, decided and journaled as well)");
        return ExitCodes.OK;
    }

    private static double ratio(Histogram a, Histogram b, double percentile) {
        return (double) a.getValueAtPercentile(percentile) / Math.max(1, b.getValueAtPercentile(percentile));
    }

    private static void row(PrintWriter out, String name, Histogram h, double percentile) {
        out.printf("%-44s %14.2f %10s%n", name, h.getValueAtPercentile(percentile) / 1000.0, "ms");
    }
}
