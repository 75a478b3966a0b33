package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.coordinator.bench.ReviewerBenchmark;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm bench-journal}: the reviewer's read, chain-check and verify rates on one long journal. */
@Command(name = "bench-journal", mixinStandardHelpOptions = true,
        description = "Write one long journal into Cassandra, then measure raw eventsByPersistenceId reads against "
                + "reading with the hash chain checked and a full journal verify (chain, Merkle roots, signatures).")
final class JournalBenchCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--events", defaultValue = "200000", description = "Events in the journal (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--checkpoint-every", defaultValue = "100",
            description = "A signed checkpoint every N events (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || checkpointEvery < 1) {
            throw new UserError(ExitCodes.USAGE, "--events and --checkpoint-every must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Config config = cassandra.loadConfig().withValue("nexus.swarm.operator-api.port", ConfigValueFactory.fromAnyRef(0));
        out.println("Nexus Swarm reviewer benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)");
        ReviewerBenchmark.Result result;
        try (CassandraConnection connection = CassandraConnection.open(config, false, out);
                SwarmNode node = SwarmNode.start(connection.apply(config), Duration.ofSeconds(30))) {
            warmUpJournal(node);
            result = new ReviewerBenchmark(node.system(), node.registry().checkpointSigner(), out)
                    .run(events, checkpointEvery);
        }
        out.println();
        out.printf("%-46s %12s %12s %10s%n", "measure", "events", "events/s", "vs raw");
        for (ReviewerBenchmark.Rate r : java.util.List.of(result.write(), result.raw(), result.chained(),
                result.verified(), result.exported())) {
            out.printf("%-46s %,12d %,12.0f %10s%n", r.name(), r.events(), r.perSecond(),
                    r == result.write() ? "" : String.format("%.2fx", r.perSecond() / result.raw().perSecond()));
        }
        var pack = result.packVerify();
        out.printf("%-46s %,12d %,12.0f %10s%n", "evidence pack verify, offline (aep verify)", pack.eventsPerPack(),
                pack.eventsPerSecond(), String.format("%.2fx", pack.eventsPerSecond() / result.raw().perSecond()));
        out.printf("(pack of %,d bytes, verified %d times in %.1f s: %s)%n", pack.packBytes(), pack.rounds(),
                pack.seconds(), pack.valid() ? "valid" : "INVALID");
        out.println("target: replay + hash-chain verify >= 0.8x raw. Journal " + result.persistenceId() + ": "
                + (result.verification().intact() ? "verified intact" : "NOT intact: " + result.verification()
                        .firstError().map(Object::toString).orElse("?"))
                + ", " + result.verification().checkpoints() + " checkpoints.");
        return result.verification().intact() ? ExitCodes.OK : ExitCodes.INVALID;
    }

    /** Makes the journal plugin create its keyspace and tables, through one real supervised delivery. */
    private static void warmUpJournal(SwarmNode node) throws Exception {
        // Through admission, as every deployment (dev-signed on first use, like the demo).
        Pack climate = org.nexusswarm.coordinator.rail.PackGate.admit(node.system().settings().config(), "climate",
                false, new java.io.PrintWriter(java.io.Writer.nullWriter()));
        DeployedRail rail = RailDeployer.deploy(node.registry(), climate.rail("drought-watch",
                new RailOptions(2, 1, 1, 1, 1, 1, "bench-warmup-" + System.currentTimeMillis())));
        Signal reading = rail.blueprint().signals().round(1).get(0);
        EntityAddress target = reading.target();
        DeliveryReply reply = node.<DeliveryReply>ask(target, r -> new Deliver(rail.feed().envelope(target,
                reading.payload()), r)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (!(reply instanceof DeliveryReply.Accepted)) {
            throw new IllegalStateException("warm-up delivery was not accepted: " + reply);
        }
    }
}
