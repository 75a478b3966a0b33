package org.nexusswarm.coordinator.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.stream.javadsl.Sink;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.memory.verify.JournalRows;
import org.nexusswarm.memory.verify.JournalVerifier;
import org.nexusswarm.memory.verify.TrustedNodes;
import org.nexusswarm.memory.verify.Verification;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * The reviewer's side measured against the real Cassandra, in one run: the raw eventsByPersistenceId read rate,
 * the same journal read back with its hash chain checked (the reader behind {@code journal show/query}), and
 * fully verified (rows, chain, Merkle roots and checkpoint signatures: {@code journal verify}).
 *
 * <p>The journal is written straight into the plugin's {@code messages} table (the rows the plugin itself would
 * write: same serializer, manifest and partitioning), because persisting a million events through one entity
 * would take the better part of an hour; every read goes through the product's own code.
 */
public final class ReviewerBenchmark {

    /** One measured rate. */
    public record Rate(String name, long events, double seconds) {
        public double perSecond() {
            return events / seconds;
        }
    }

    /** What a run measured; {@code verification} shows the journal was read intact. */
    public record Result(String persistenceId, Rate write, Rate raw, Rate chained, Rate verified,
            Verification verification, Rate exported, org.nexusswarm.memory.evidence.VerifyRate.Rate packVerify) {}

    /** Events in the evidence pack whose export and offline verification are measured. */
    private static final int PACK_EVENTS = 20_000;

    private static final int IN_FLIGHT = 64;
    /** An embedded single-node Cassandra under a million-row load sheds the odd write: try again. */
    private static final int WRITE_ATTEMPTS = 5;
    private static final String QUERY_PLUGIN = "pekko.persistence.cassandra.query";

    private final ActorSystem<?> system;
    private final CheckpointSigner signer;
    private final PrintWriter progress;
    /** Wall time of the first generated event (one event per millisecond after it). */
    private long startMillis;

    public ReviewerBenchmark(ActorSystem<?> system, CheckpointSigner signer, PrintWriter progress) {
        this.system = system;
        this.signer = signer;
        this.progress = progress;
    }

    public Result run(long events, int checkpointEvery) throws Exception {
        String persistenceId = "agent|bench-journal-" + System.currentTimeMillis();
        JournalRows rows = JournalRows.open(system, Duration.ofSeconds(30));
        Rate write = write(rows, persistenceId, events, checkpointEvery);
        progress.println("  reading it back three ways (after one unmeasured warm-up read) ...");
        count(persistenceId);
        Rate raw = timed("raw eventsByPersistenceId", () -> count(persistenceId));
        Rate chained = timed("read + hash chain check (journal show)", () -> chained(persistenceId));
        AtomicReference<Verification> verification = new AtomicReference<>();
        Rate verified = timed("read + full verify (journal verify)", () -> {
            Verification v = JournalVerifier.verify(persistenceId, rows.rows(persistenceId),
                    TrustedNodes.of(java.util.List.of(signer.nodeDid())));
            verification.set(v);
            return v.rows();
        });
        long packEvents = Math.min(events, PACK_EVENTS);
        progress.println("  exporting an evidence pack of the first " + packEvents + " events and verifying it offline ...");
        byte[][] pack = new byte[1][];
        Rate exported = timed("evidence pack export (journal export)", () -> {
            var window = org.nexusswarm.memory.evidence.EvidencePackExporter.collect(
                    new JournalReader(system, QUERY_PLUGIN).stream(persistenceId),
                    new org.nexusswarm.memory.evidence.ExportWindow.Request(persistenceId, persistenceId.replace("|", ":"),
                            java.time.Instant.ofEpochMilli(startMillis),
                            java.time.Instant.ofEpochMilli(startMillis + packEvents - 1)),
                    org.nexusswarm.memory.evidence.CitedCredential.Citation.NONE, system)
                    .toCompletableFuture().get(1, TimeUnit.HOURS);
            pack[0] = org.nexusswarm.memory.evidence.EvidencePackExporter.write(window, java.util.Map.of(), null,
                    java.time.Instant.now());
            return window.events().size();
        });
        var packVerify = org.nexusswarm.memory.evidence.VerifyRate.measure(pack[0], Duration.ofSeconds(5),
                java.util.List.of(signer.nodeDid()));
        if (!packVerify.valid()) {
            progress.println("  the pack did not verify: " + new org.nexusswarm.memory.evidence.EvidencePackVerifier(
                    java.util.List.of(signer.nodeDid())).verify(pack[0]).errors().stream().limit(3).toList());
        }
        return new Result(persistenceId, write, raw, chained, verified, verification.get(), exported, packVerify);
    }

    private Rate write(JournalRows rows, String persistenceId, long events, int checkpointEvery) throws Exception {
        CqlSession session = JournalRows.pluginSession(system, Duration.ofSeconds(30));
        String table = system.settings().config().getString("pekko.persistence.cassandra.journal.keyspace")
                + "." + system.settings().config().getString("pekko.persistence.cassandra.journal.table");
        PreparedStatement insert = session.prepare("INSERT INTO " + table + " (persistence_id, partition_nr, "
                + "sequence_nr, timestamp, timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, event, tags) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
        startMillis = System.currentTimeMillis() - events;
        SyntheticEpisode episode = new SyntheticEpisode(persistenceId, signer, checkpointEvery, startMillis);
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String writer = java.util.UUID.randomUUID().toString();
        String bucket = String.valueOf(System.currentTimeMillis() / 3_600_000L * 3_600_000L);
        progress.println("  writing " + events + " events into " + table + " as " + persistenceId + " ...");
        long start = System.nanoTime();
        long reported = start;
        for (long seq = 1; seq <= events; seq++) {
            SafetyEvent event = episode.next();
            Serializer serializer = serialization.findSerializerFor(event);
            ByteBuffer bytes = ByteBuffer.wrap(serializer.toBinary(event));
            slots.acquire();
            if (failure.get() != null) {
                throw new IllegalStateException("writing the benchmark journal failed: " + failure.get().getMessage());
            }
            submit(session, insert.bind(persistenceId, rows.partitionOf(seq), seq, Uuids.timeBased(), bucket,
                    writer, serializer.identifier(), Serializers.manifestFor(serializer, event), "", bytes,
                    Set.<String>of()), 1, slots, failure);
            if (System.nanoTime() - reported > TimeUnit.SECONDS.toNanos(5)) {
                reported = System.nanoTime();
                progress.printf("    %,d of %,d written%n", seq, events);
                progress.flush();
            }
        }
        slots.acquire(IN_FLIGHT);
        slots.release(IN_FLIGHT);
        if (failure.get() != null) {
            throw new IllegalStateException("writing the benchmark journal failed: " + failure.get().getMessage());
        }
        return new Rate("write (direct CQL, " + IN_FLIGHT + " in flight)", events, (System.nanoTime() - start) / 1e9);
    }

    private static void submit(CqlSession session, com.datastax.oss.driver.api.core.cql.BoundStatement insert,
            int attempt, Semaphore slots, AtomicReference<Throwable> failure) {
        session.executeAsync(insert).whenComplete((r, e) -> {
            if (e != null && attempt < WRITE_ATTEMPTS
                    && (e instanceof com.datastax.oss.driver.api.core.servererrors.QueryExecutionException
                            || e instanceof com.datastax.oss.driver.api.core.DriverTimeoutException)) {
                submit(session, insert, attempt + 1, slots, failure);
                return;
            }
            if (e != null) {
                failure.compareAndSet(null, e);
            }
            slots.release();
        });
    }

    private long count(String persistenceId) throws Exception {
        CurrentEventsByPersistenceIdQuery query = PersistenceQuery.get(Adapter.toClassic(system))
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, QUERY_PLUGIN);
        return query.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
                .runWith(Sink.fold(0L, (n, e) -> n + 1), system).toCompletableFuture().get(1, TimeUnit.HOURS);
    }

    private long chained(String persistenceId) throws Exception {
        long[] broken = new long[1];
        long n = new JournalReader(system, QUERY_PLUGIN).stream(persistenceId)
                .runWith(Sink.fold(0L, (c, e) -> {
                    if (!e.chainIntact()) {
                        broken[0]++;
                    }
                    return c + 1;
                }), system).toCompletableFuture().get(1, TimeUnit.HOURS);
        if (broken[0] > 0) {
            throw new IllegalStateException(broken[0] + " broken links in the benchmark journal");
        }
        return n;
    }

    @FunctionalInterface
    private interface Counted {
        long run() throws Exception;
    }

    private Rate timed(String name, Counted counted) throws Exception {
        long start = System.nanoTime();
        long n = counted.run();
        return new Rate(name, n, (System.nanoTime() - start) / 1e9);
    }
}
