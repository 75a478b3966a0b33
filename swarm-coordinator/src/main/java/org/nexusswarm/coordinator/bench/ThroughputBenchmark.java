package org.nexusswarm.coordinator.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.api.supervisor.SupervisorChecks;

/**
 * Supervised vs raw throughput between two actor systems over Artery TCP on loopback (the way messages
 * reach an entity from another node). Raw: a driver tells a sink. Supervised: the driver tells a gate that
 * runs the safety supervisor's checks (session-MAC authentication, replay window, staleness, payload decoding,
 * credential and policy decision) and then tells the sink — everything but the journal. The driver keeps a
 * bounded window of messages in flight, acknowledged by the sink.
 */
public final class ThroughputBenchmark {

    /** One measured run. */
    public record Result(String name, long messages, double seconds) {
        public double perSecond() {
            return messages / seconds;
        }
    }

    private static final int WINDOW = 2_000;
    private static final int ACK_EVERY = 500;
    /** Receiving entities in the parallel run: a node hosts many supervisors, each an actor of its own. */
    private static final int PARALLEL = 8;

    private ThroughputBenchmark() {}

    /** Runs raw and supervised, each after a warm-up, and returns both results. */
    public static List<Result> run(long messages) throws Exception {
        // Classic systems: their user guardian lets the benchmark spawn top-level actors from outside.
        org.apache.pekko.actor.ActorSystem sender = org.apache.pekko.actor.ActorSystem.create("bench-a", remoteConfig());
        org.apache.pekko.actor.ActorSystem receiver = org.apache.pekko.actor.ActorSystem.create("bench-b", remoteConfig());
        try {
            Fixture f = Fixture.deploy(org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(receiver));
            List<Result> results = new ArrayList<>();
            for (boolean measured : new boolean[] {false, true}) {
                long n = measured ? messages : messages / 5;
                Result raw = once("raw tell", sender, receiver, f, n, 0);
                Result supervised = once("supervised, 1 entity (auth + policy, no journal)", sender, receiver, f, n, 1);
                Result parallel = once("supervised, " + PARALLEL + " entities in parallel", sender, receiver, f, n,
                        PARALLEL);
                if (measured) {
                    results.add(raw);
                    results.add(supervised);
                    results.add(parallel);
                }
            }
            return results;
        } finally {
            sender.terminate();
            receiver.terminate();
            sender.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            receiver.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Config remoteConfig() {
        return ConfigFactory.parseString("pekko.actor.provider = remote\n"
                + "pekko.remote.artery.transport = tcp\n"
                + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                + "pekko.remote.artery.canonical.port = 0\n"
                + "pekko.loglevel = WARNING\n"
                + "pekko.remote.warn-about-direct-use = off\n"
                + "pekko.remote.warn-unsafe-watch-outside-cluster = off\n")
                .withFallback(ConfigFactory.load());
    }

    private static Result once(String name, org.apache.pekko.actor.ActorSystem sender,
            org.apache.pekko.actor.ActorSystem receiver, Fixture f, long n, int gates) throws Exception {
        List<SignedEnvelope> envelopes = f.envelopes(n);
        CompletableFuture<Long> done = new CompletableFuture<>();
        ActorRef<SwarmMessage> sink = spawn(receiver, sink(n, done));
        List<ActorRef<SignedEnvelope>> entries = new ArrayList<>();
        if (gates == 0) {
            entries.add(narrow(sink));
        }
        for (int g = 0; g < gates; g++) {
            entries.add(spawn(receiver, gate(f, sink, done)));
        }
        // Resolve the entry points from the sender's side so every message really crosses Artery TCP.
        List<ActorRef<SignedEnvelope>> remote = entries.stream().map(entry -> org.apache.pekko.actor.typed.ActorRefResolver
                .get(org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(sender)).<SignedEnvelope>resolveActorRef(
                        org.apache.pekko.actor.typed.ActorRefResolver
                                .get(org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(receiver))
                                .toSerializationFormat(entry))).toList();
        long start = System.nanoTime();
        spawn(sender, driver(envelopes, remote));
        done.get(10, TimeUnit.MINUTES);
        return new Result(name, n, (System.nanoTime() - start) / 1e9);
    }

    @SuppressWarnings("unchecked")
    private static ActorRef<SignedEnvelope> narrow(ActorRef<SwarmMessage> ref) {
        return (ActorRef<SignedEnvelope>) (ActorRef<?>) ref;
    }

    private static <T> ActorRef<T> spawn(org.apache.pekko.actor.ActorSystem system, Behavior<T> behavior) {
        return org.apache.pekko.actor.typed.javadsl.Adapter.spawnAnonymous(system, behavior);
    }

    /** Counts arrivals, acknowledges every {@value #ACK_EVERY} to the driver that sent the first envelope. */
    private static Behavior<SwarmMessage> sink(long n, CompletableFuture<Long> done) {
        return Behaviors.setup(ctx -> {
            long[] count = {0};
            return Behaviors.receive(SwarmMessage.class).onAnyMessage(m -> {
                count[0]++;
                if (count[0] % ACK_EVERY == 0 || count[0] == n) {
                    Driver.acks.tell(new BenchMessages.Ack(count[0]));
                }
                if (count[0] == n) {
                    done.complete(count[0]);
                }
                return Behaviors.same();
            }).build();
        });
    }

    /** The supervisor's checks without the journal, then a tell to the sink. */
    private static Behavior<SignedEnvelope> gate(Fixture f, ActorRef<SwarmMessage> sink, CompletableFuture<Long> done) {
        return Behaviors.setup(ctx -> {
            SupervisorChecks pipeline = new SupervisorChecks(f.registry, f.receiver);
            return Behaviors.receive(SignedEnvelope.class).onMessage(SignedEnvelope.class, env -> {
                long now = System.currentTimeMillis();
                SupervisorChecks.Inbound in = pipeline.authenticate(env, now);
                String refusal = in.refusal();
                if (in.accepted()) {
                    // The parameter policy bounds is read from the payload (Ping.n), as the supervisor does.
                    Intent intent = new Intent("i", "bench.act", f.sender.address(), in.payload());
                    var decision = pipeline.decide(intent, f.policies, now);
                    if (decision.isEmpty()) {
                        sink.tell(in.payload());
                        return Behaviors.same();
                    }
                    refusal = decision.get();
                }
                done.completeExceptionally(new IllegalStateException("benchmark message refused: " + refusal));
                return Behaviors.stopped();
            }).build();
        });
    }

    /** Sends all envelopes, keeping at most {@value #WINDOW} unacknowledged. */
    private static final class Driver {
        static volatile ActorRef<BenchMessages.Ack> acks;
    }

    private static Behavior<BenchMessages.Ack> driver(List<SignedEnvelope> envelopes,
            List<ActorRef<SignedEnvelope>> entries) {
        return Behaviors.setup(ctx -> {
            Driver.acks = ctx.getSelf();
            int[] sent = {0};
            while (sent[0] < Math.min(WINDOW, envelopes.size())) {
                entries.get(sent[0] % entries.size()).tell(envelopes.get(sent[0]++));
            }
            return Behaviors.receive(BenchMessages.Ack.class).onMessage(BenchMessages.Ack.class, ack -> {
                while (sent[0] < envelopes.size() && sent[0] - ack.count() < WINDOW) {
                    entries.get(sent[0] % entries.size()).tell(envelopes.get(sent[0]++));
                }
                return Behaviors.same();
            }).build();
        });
    }

    /** Two deployed entities with announced session keys and a policy allowing the benchmark's action. */
    private static final class Fixture {
        final SafetyRegistry registry;
        final EntitySpec sender;
        final EntitySpec receiver;
        final List<Policy> policies;

        private Fixture(SafetyRegistry registry, EntitySpec sender, EntitySpec receiver, List<Policy> policies) {
            this.registry = registry;
            this.sender = sender;
            this.receiver = receiver;
            this.policies = policies;
        }

        static Fixture deploy(ActorSystem<?> system) throws Exception {
            SafetyRegistry registry = SafetyRegistry.get(system);
            SwarmKeyPair issuer = Ed25519.generate();
            registry.trustIssuer(issuer.did());
            EntitySpec a = spec(issuer, EntityAddress.of(EntityKind.AGENT, "bench.a"));
            EntitySpec b = spec(issuer, EntityAddress.of(EntityKind.AGENT, "bench.b"));
            registry.deploy(a);
            registry.deploy(b);
            Policy policy = PolicyParser.parse("scope = \"rail:bench\"\nversion = 1\n"
                    + "rules { act { action = \"bench.act\", places = [\"bench-*\"], "
                    + "parameters { n { min = 0 } } } }\n");
            return new Fixture(registry, a, b, List.of(policy));
        }

        /** A logic that does nothing with its inputs. */
        private static final AgentLogic<Boolean> IGNORE = new AgentLogic<>() {
            @Override
            public String version() {
                return "bench/1";
            }

            @Override
            public Boolean init(org.nexusswarm.actors.spi.AgentContext context) {
                return Boolean.TRUE;
            }

            @Override
            public Step<Boolean> step(Boolean state, AgentInput input) {
                return Step.of(state);
            }

            @Override
            public List<org.nexusswarm.actors.spi.PayloadSchema> payloads() {
                return List.of(org.nexusswarm.actors.spi.PayloadSchema.of(BenchMessages.Ping.class, "bench.act", "n"));
            }
        };

        private static EntitySpec spec(SwarmKeyPair issuer, EntityAddress address) {
            SwarmKeyPair keys = Ed25519.generate();
            long now = System.currentTimeMillis();
            Credential credential = Credential.issue(issuer, "bench/" + address.id(), keys.did(), List.of("bench.act"),
                    now - 60_000, now + 3_600_000);
            return new EntitySpec(address, "bench-cell", "bench", "bench", keys, credential,
                    IGNORE);
        }

        /** Envelopes from A to B as A's supervisor would seal them (session MAC), nonces 1..n. */
        List<SignedEnvelope> envelopes(long n) {
            SupervisorChecks a = new SupervisorChecks(registry, sender);
            SwarmKryo kryo = SwarmKryo.withoutActorRefs();
            List<SignedEnvelope> out = new ArrayList<>((int) n);
            long hlc = HybridLogicalClock.pack(System.currentTimeMillis(), 0);
            for (long i = 1; i <= n; i++) {
                out.add(a.seal(receiver.address(), NONCES.incrementAndGet(), hlc,
                        kryo.toBytes(new BenchMessages.Ping(i))));
            }
            return out;
        }

        private static final java.util.concurrent.atomic.AtomicLong NONCES = new java.util.concurrent.atomic.AtomicLong();
    }
}
