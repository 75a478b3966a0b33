package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.nexusswarm.coordinator.bench.BenchTable;
import org.nexusswarm.coordinator.bench.JournaledBenchmark;
import org.nexusswarm.coordinator.bench.PlainJournaledBaseline;
import org.nexusswarm.coordinator.bench.ReviewerBenchmark;
import org.nexusswarm.coordinator.bench.ThroughputBenchmark;
import org.nexusswarm.coordinator.node.SwarmNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm bench}: the safety layer's cost, measured in one run, printed as a table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure supervised vs raw throughput, journaled decisions against Cassandra vs plain Pekko event "
                + "sourcing, breach-to-stop time and the decoder; --all adds the reviewer figures, --json FILE writes them.")
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

    @Option(names = "--all", description = "Also measure the reviewer's figures (journal read, hash-chain read, verify,"
            + " evidence-pack export and offline verify vs raw read) in the same run.")
    boolean all;

    @Option(names = "--journal-events", defaultValue = "50000",
            description = "With --all: events in the reviewer benchmark's journal (default ${DEFAULT-VALUE}).")
    long journalEvents;

    @Option(names = "--json", description = "Also write every figure as JSON to this file.")
    java.nio.file.Path json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int steps = all ? 5 : 4;
        out.println("Nexus Swarm safety-layer benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
        out.println("1/" + steps + " throughput over Artery TCP on loopback, " + messages + " messages per run ...");
        var throughput = ThroughputBenchmark.run(messages);
        Config config = cassandra.loadConfig().withValue("nexus.swarm.operator-api.port",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(0));
        JournaledBenchmark.Decisions decisions;
        JournaledBenchmark.Decisions plain;
        PlainJournaledBaseline.Shape shape;
        JournaledBenchmark.Kills kills;
        ReviewerBenchmark.Result reviewer = null;
        try (CassandraConnection connection = CassandraConnection.open(config, false, out);
                SwarmNode node = SwarmNode.start(connection.apply(config), Duration.ofSeconds(30))) {
            JournaledBenchmark journaled = new JournaledBenchmark(node);
            out.println("2/" + steps + " journaled decisions against " + connection.endpoints() + ", " + senders
                    + " senders, " + seconds + " s ...");
            decisions = journaled.decisions(senders, Duration.ofSeconds(seconds));
            shape = journaled.shapeOfLastRun();
            out.printf("    baseline: plain Pekko event sourcing, %.2f events of %d bytes per decision (as the supervised"
                    + " run wrote), %d senders, %d s ...%n", shape.eventsPerDecision(), shape.bytesPerEvent(), senders,
                    seconds);
            plain = PlainJournaledBaseline.run(node.system(), shape, senders, Duration.ofSeconds(seconds));
            out.println("3/" + steps + " breach to child stopped, " + rogues + " rogue entities ...");
            kills = journaled.kills(rogues);
            if (all) {
                out.println("4/" + steps + " reviewer: one journal of " + journalEvents + " events, read, verify, export ...");
                reviewer = new ReviewerBenchmark(node.system(), node.registry().checkpointSigner(), out)
                        .run(journalEvents, 100);
            }
        }
        out.println(steps + "/" + steps + " decoder fuzz, 100000 mutated inputs ...");
        var fuzz = org.nexusswarm.actors.serialization.DecoderFuzz.run(100_000, 42L);

        BenchTable table = new BenchTable().note("cores", Runtime.getRuntime().availableProcessors())
                .note("messages", messages).note("senders", senders).note("seconds", seconds).note("rogues", rogues)
                .note("eventsPerDecision", shape.eventsPerDecision()).note("bytesPerEvent", shape.bytesPerEvent());
        for (var r : throughput) {
            table.add(r.name(), r.perSecond(), "msgs/s");
        }
        table.add("supervised / raw, 1 entity", throughput.get(1).perSecond() / throughput.get(0).perSecond(), "x",
                ">= 0.8");
        table.add("supervised / raw, entities in parallel", throughput.get(2).perSecond()
                / throughput.get(0).perSecond(), "x", ">= 0.95");
        table.add("journaled decisions (Deliver->Observed->reply)", decisions.perSecond(), "per s");
        table.add("decision latency p50", ms(decisions.latencyMicros(), 50), "ms");
        table.add("decision latency p99", ms(decisions.latencyMicros(), 99), "ms");
        table.add("plain event sourcing, same events", plain.perSecond(), "per s");
        table.add("plain latency p50", ms(plain.latencyMicros(), 50), "ms");
        table.add("plain latency p99", ms(plain.latencyMicros(), 99), "ms");
        table.add("journaled supervised / plain", decisions.perSecond() / plain.perSecond(), "x", ">= 0.7");
        table.add("journaled p50 latency supervised / plain", ratio(decisions.latencyMicros(), plain.latencyMicros(), 50),
                "x");
        table.add("journaled p99 latency supervised / plain", ratio(decisions.latencyMicros(), plain.latencyMicros(), 99),
                "x", "<= 1.5");
        table.add("breach -> child stopped p50", ms(kills.micros(), 50), "ms");
        table.add("breach -> child stopped p99", ms(kills.micros(), 99), "ms", "<= 50");
        table.add("breach -> child stopped max", kills.micros().getMaxValue() / 1000.0, "ms");
        if (reviewer != null) {
            double raw = reviewer.raw().perSecond();
            table.add("journal raw read", raw, "events/s");
            table.add("journal read, hash chain checked / raw", reviewer.chained().perSecond() / raw, "x");
            table.add("journal verify / raw", reviewer.verified().perSecond() / raw, "x", ">= 0.8");
            table.add("evidence-pack export / raw", reviewer.exported().perSecond() / raw, "x", ">= 0.8");
            table.add("evidence-pack verify offline / raw", reviewer.packVerify().eventsPerSecond() / raw, "x", ">= 0.8");
        }
        table.add("decoder fuzz rate (typed refusals only)", fuzz.inputsPerSecond(), "inputs/s");
        table.add("decoder fuzz slowest decode (<= 64 KB)", fuzz.slowestMillis(), "ms", "<= 10");
        out.println();
        table.print(out);
        if (fuzz.escapedCount() > 0) {
            out.println("DECODER FAILURES THAT WERE NOT TYPED REFUSALS: " + fuzz.escaped());
        }
        out.println("(each accepted envelope also makes the logic propose an action, decided and journaled as well;"
                + " the plain baseline writes the same number and size of events per decision)");
        if (json != null) {
            table.writeJson(json);
            out.println("Wrote " + json);
        }
        return fuzz.escapedCount() > 0 ? ExitCodes.INVALID : ExitCodes.OK;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double ratio(Histogram a, Histogram b, double percentile) {
        return (double) a.getValueAtPercentile(percentile) / Math.max(1, b.getValueAtPercentile(percentile));
    }

}
