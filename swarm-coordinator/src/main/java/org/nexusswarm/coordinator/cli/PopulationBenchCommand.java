package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.nexusswarm.coordinator.bench.BenchTable;
import org.nexusswarm.coordinator.bench.PopulationBenchmark;
import org.nexusswarm.coordinator.node.SwarmNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm bench-agents}: live supervised agents on one node, heap per agent, wake latencies. */
@Command(name = "bench-agents", mixinStandardHelpOptions = true,
        description = {"Deploy N agents on one node and wake every one (supervisor, journal recovery, credential "
                + "check, logic child, a Started event): wake rate and latency, heap per live agent (after a full GC) "
                + "and the agents a 4 GiB heap would hold at that rate; then wake a sample again on a fresh node from "
                + "their journals (the cost of waking a passivated or restarted agent).",
                "The heap is the JVM's -Xmx (the swarm script: NEXUS_HEAP, default 1g)."})
final class PopulationBenchCommand implements Callable<Integer> {

    private static final double FOUR_GIB = 4.0 * 1024 * 1024 * 1024;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--agents", defaultValue = "10000", description = "Agents to deploy and wake (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--sample", defaultValue = "1000", description = "Agents woken again on a fresh node (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--in-flight", defaultValue = "256", description = "Wakes in flight at once (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (agents < 1 || sample < 1 || inFlight < 1) {
            throw new UserError(ExitCodes.USAGE, "--agents, --sample and --in-flight must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Config config = cassandra.loadConfig().withValue("nexus.swarm.operator-api.port", ConfigValueFactory.fromAnyRef(0))
                // every agent stays awake until the heap is measured
                .withValue("pekko.cluster.sharding.passivation.strategy", ConfigValueFactory.fromAnyRef("none"));
        out.printf("Nexus Swarm population benchmark (%d cores, max heap %d MiB)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        PopulationBenchmark bench = new PopulationBenchmark(inFlight, out);
        PopulationBenchmark.Result r;
        Histogram rewake;
        try (CassandraConnection connection = CassandraConnection.open(config, false, out)) {
            Config node = connection.apply(config);
            out.println("1/2 " + agents + " agents on one node ...");
            try (SwarmNode first = SwarmNode.start(node, Duration.ofSeconds(30))) {
                r = bench.wakeAll(first, agents);
            }
            out.println("2/2 " + Math.min(sample, agents) + " of them woken again on a fresh node, from their journals ...");
            try (SwarmNode fresh = SwarmNode.start(node, Duration.ofSeconds(30))) {
                rewake = bench.rewake(fresh, r, sample);
            }
        }
        BenchTable table = new BenchTable().note("cores", Runtime.getRuntime().availableProcessors())
                .note("maxHeapMiB", r.maxHeapBytes() >> 20).note("inFlight", inFlight);
        table.add("live supervised agents on one node", r.agents(), "agents");
        table.add("deploy (keys, credentials, registry)", r.agents() / r.deploySeconds(), "agents/s");
        table.add("first wake (recovery, credential, child, Started)", r.agents() / r.wakeSeconds(), "agents/s");
        table.add("first wake latency p50", r.coldWakeMicros().getValueAtPercentile(50) / 1000.0, "ms");
        table.add("first wake latency p99", r.coldWakeMicros().getValueAtPercentile(99) / 1000.0, "ms");
        table.add("heap per live agent (after full GC)", r.heapPerAgentBytes() / 1024.0, "KiB");
        table.add("agents a 4 GiB heap holds at that rate", FOUR_GIB / Math.max(1, r.heapPerAgentBytes()), "agents",
                ">= 100000");
        table.add("wake from journal on a fresh node p50", rewake.getValueAtPercentile(50) / 1000.0, "ms");
        table.add("wake from journal on a fresh node p99", rewake.getValueAtPercentile(99) / 1000.0, "ms");
        out.println();
        table.print(out);
        if (json != null) {
            table.writeJson(json);
            out.println("Wrote " + json);
        }
        return ExitCodes.OK;
    }
}
