package org.nexusswarm.coordinator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.policy.Policies;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Journaled decisions against the real Cassandra behind a running node: many senders deliver signed envelopes
 * to supervised entities (each accepted envelope is an {@code Observed} decision persisted before the reply,
 * and makes the logic propose an action that is decided and journaled too); and how long a breach takes to stop
 * the child: from the logic emitting the intent that reaches {@code max-denials} until the entity reports itself
 * quarantined (its {@code Killed} journaled; the child is stopped right after). A pure logic cannot see its own
 * stop, so the stop is observed from outside by polling the entity's status.
 */
public final class JournaledBenchmark {

    /** Journaled decision rate and latency of the inbound path. */
    public record Decisions(long decisions, double seconds, Histogram latencyMicros) {
        public double perSecond() {
            return decisions / seconds;
        }
    }

    /** The entities and the wall-clock window of the last {@link #decisions} run, to measure what it wrote. */
    private List<EntityAddress> lastEntities = List.of();
    private long lastStartMillis;
    private long lastEndMillis;
    private long lastDecisions;

    /** Breach-to-stop times in microseconds. */
    public record Kills(Histogram micros) {}

    private static final String RAIL = "bench";
    private static final Map<String, Long> BREACH_AT = new ConcurrentHashMap<>();
    private static final Map<String, Long> STOPPED_AT = new ConcurrentHashMap<>();

    private final SwarmNode node;
    private final SwarmKeyPair feed = Ed25519.generate();
    private final String feedName = "feed:bench.sensors-" + System.nanoTime();
    private final SwarmKeyPair issuer = Ed25519.generate();
    private final AtomicLong nonces = new AtomicLong();
    private final SwarmKryo kryo = SwarmKryo.withoutActorRefs();
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    public JournaledBenchmark(SwarmNode node) throws Exception {
        this.node = node;
        SafetyRegistry registry = node.registry();
        registry.trustIssuer(issuer.did());
        registry.identities().admit(feed.did(), feedName);
        Policies.loadLocal(node.system(), PolicyParser.parse("scope = \"rail:" + RAIL + "\"\nversion = 1\n"
                + "rules { act { action = \"bench.act\" } }\n"
                + "monitors { denial-rate { warn = 0.99 } }\n"));
    }

    /** {@code senders} concurrent senders, each delivering to its own entity one envelope at a time, for {@code duration}. */
    public Decisions decisions(int senders, Duration duration) throws Exception {
        List<EntityAddress> entities = deploy("echo", senders, this::echo);
        warm(entities);
        ConcurrentHistogram histogram = new ConcurrentHistogram(3);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        lastStartMillis = System.currentTimeMillis();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (EntityAddress e : entities) {
            loops.add(loop(e, end, histogram, done));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(duration.toSeconds() + 120, TimeUnit.SECONDS);
        lastEndMillis = System.currentTimeMillis();
        lastEntities = entities;
        lastDecisions = done.get();
        return new Decisions(done.get(), (System.nanoTime() - start) / 1e9, histogram);
    }

    /**
     * What the last {@link #decisions} run wrote per acknowledged decision, read back from its journals: the
     * events stored during the run window over the decisions acknowledged, and their mean serialized size.
     */
    public PlainJournaledBaseline.Shape shapeOfLastRun() throws Exception {
        var reader = new org.nexusswarm.memory.journal.JournalReader(node.system(),
                node.system().settings().config().getString("nexus.swarm.memory.read-journal-plugin-id"));
        long events = 0;
        long bytes = 0;
        for (EntityAddress e : lastEntities) {
            for (var entry : reader.readAll(e.persistenceId()).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
                if (entry.timestampMillis() >= lastStartMillis && entry.timestampMillis() <= lastEndMillis) {
                    events++;
                    bytes += kryo.toBytes(entry.event()).length;
                }
            }
        }
        if (events == 0 || lastDecisions == 0) {
            throw new IllegalStateException("the supervised run wrote no events in its window");
        }
        return new PlainJournaledBaseline.Shape((double) events / lastDecisions, (int) (bytes / events));
    }

    /** Kills {@code rogues} entities by breach (max-denials forbidden intents) and measures breach to stop. */
    public Kills kills(int rogues) throws Exception {
        int limit = node.registry().settings().maxDenials();
        List<EntityAddress> entities = deploy("rogue", rogues, this::rogue);
        warm(entities);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<CompletableFuture<Void>> watchers = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            if (i == limit - 1) {
                entities.forEach(e -> watchers.add(awaitQuarantined(e, deadline)));
            }
            List<CompletableFuture<DeliveryReply>> round = new ArrayList<>();
            for (EntityAddress e : entities) {
                round.add(deliver(e));
            }
            CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(watchers.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        Histogram h = new Histogram(3);
        for (EntityAddress e : entities) {
            Long stop = STOPPED_AT.get(e.toString());
            Long breach = BREACH_AT.get(e.toString());
            if (stop != null && breach != null) {
                h.recordValue(Math.max(0, (stop - breach) / 1000));
            }
        }
        return new Kills(h);
    }

    /** Asks the entity's status until it is quarantined (or the deadline passes); records when it was seen. */
    private CompletableFuture<Void> awaitQuarantined(EntityAddress e, long deadline) {
        return node.<org.nexusswarm.actors.protocol.EntityStatus>ask(e, org.nexusswarm.actors.protocol.GetStatus::new)
                .toCompletableFuture().thenCompose(status -> {
                    if (status.quarantined()) {
                        STOPPED_AT.putIfAbsent(e.toString(), System.nanoTime());
                        return CompletableFuture.completedFuture(null);
                    }
                    if (System.nanoTime() > deadline) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return awaitQuarantined(e, deadline);
                });
    }

    private CompletableFuture<Void> loop(EntityAddress target, long end, ConcurrentHistogram histogram, AtomicLong done) {
        if (System.nanoTime() > end) {
            return CompletableFuture.completedFuture(null);
        }
        long sent = System.nanoTime();
        return deliver(target).thenCompose(reply -> {
            histogram.recordValue((System.nanoTime() - sent) / 1000);
            if (reply instanceof DeliveryReply.Accepted) {
                done.incrementAndGet();
            }
            return loop(target, end, histogram, done);
        });
    }

    private CompletableFuture<DeliveryReply> deliver(EntityAddress target) {
        SignedEnvelope envelope = SignedEnvelope.sign(feed, feedName, target.toString(), nonces.incrementAndGet(),
                HybridLogicalClock.pack(System.currentTimeMillis(), 0), kryo.toBytes(new BenchMessages.Ping(1)));
        return node.<DeliveryReply>ask(target, r -> new Deliver(envelope, r)).toCompletableFuture();
    }

    private void warm(List<EntityAddress> entities) throws Exception {
        // Starts every supervisor (recovery, logic spawn) before the clock runs.
        for (EntityAddress e : entities) {
            node.<org.nexusswarm.actors.protocol.EntityStatus>ask(e, org.nexusswarm.actors.protocol.GetStatus::new)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private List<EntityAddress> deploy(String role, int count, java.util.function.Function<EntityAddress, AgentLogic<?>> logic) {
        List<EntityAddress> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            EntityAddress address = EntityAddress.of(EntityKind.AGENT, RAIL + "-" + run + "." + role + "-" + i);
            SwarmKeyPair keys = Ed25519.generate();
            Credential credential = Credential.issue(issuer, address.id(), keys.did(), List.of("bench.act"),
                    now - 60_000, now + 3_600_000);
            node.registry().deploy(new EntitySpec(address, "bench-cell", RAIL, "bench", keys, credential,
                    logic.apply(address)));
            out.add(address);
        }
        return out;
    }

    /**
     * On every message from the feed proposes one allowed action (to itself): a second journaled decision, and
     * a third when it arrives; its own echoes it only observes. Intent ids count per entity (deterministic).
     */
    private AgentLogic<?> echo(EntityAddress self) {
        return new BenchLogic("bench-echo/1", in -> in.fromEntity().isEmpty()
                ? new Intent("e", "bench.act", self, new BenchMessages.Ping(2)) : null);
    }

    /**
     * Tries a forbidden action on every inbound message; records when it breached. A bench logic, not a pack's:
     * it may note the time as a side effect, which no admitted logic could.
     */
    private AgentLogic<?> rogue(EntityAddress self) {
        String key = self.toString();
        return new BenchLogic("bench-rogue/1", in -> {
            BREACH_AT.put(key, System.nanoTime());
            return new Intent("r", "bench.forbidden", self, new BenchMessages.Ping(3));
        });
    }

    /** A logic that maps each inbound input to at most one intent, numbering intent ids per entity. */
    private record BenchLogic(String version, java.util.function.Function<AgentInput.Inbound, Intent> onInbound)
            implements AgentLogic<Long> {
        /** Pings, for the allowed action and the forbidden one (which the credential refuses first). */
        @Override
        public List<org.nexusswarm.actors.spi.PayloadSchema> payloads() {
            return List.of(new org.nexusswarm.actors.spi.PayloadSchema(BenchMessages.Ping.class,
                    java.util.Set.of("bench.act", "bench.forbidden"), List.of()));
        }

        @Override
        public Long init(org.nexusswarm.actors.spi.AgentContext context) {
            return 0L;
        }

        @Override
        public Step<Long> step(Long count, AgentInput input) {
            Intent intent = input instanceof AgentInput.Inbound in ? onInbound.apply(in) : null;
            if (intent == null) {
                return Step.of(count);
            }
            long n = count + 1;
            return Step.of(n, new Intent(intent.intentId() + n, intent.actionClass(), intent.target(),
                    intent.payload()));
        }
    }
}
