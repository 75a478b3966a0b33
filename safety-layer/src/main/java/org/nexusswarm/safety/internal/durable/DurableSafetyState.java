package org.nexusswarm.safety.internal.durable;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.monitor.KillSwitch;

/**
 * The node's side of the durable safety state: the three cluster-wide ledgers ({@link KillSwitchLedger},
 * {@link RevocationLedger}, {@link OperatorLedger}) registered with sharding, writes to them for the operator
 * services, and the re-seeding that makes a restarted node enforce what they hold.
 *
 * <p>{@link #restore} reads all three ledgers (retrying until they answer: before the member is Up, or while the
 * journal is down) and writes what they hold into the fast read paths: the kill switch and the revocation list
 * (Distributed Data, add-only: seeding never lifts or un-revokes) and the node's identity directory (operators).
 * Its stage completes only then; supervisors on this node wait for it before they handle their first message, and
 * the node starts its operator API after it. Afterwards the operator ledger is read again every
 * {@code nexus.swarm.safety.durable.operator-refresh} (operators have no replicated read path of their own).
 *
 * <p>Config: {@code nexus.swarm.safety.durable.ask-timeout}, {@code retry}, {@code operator-refresh}.
 */
public final class DurableSafetyState implements Extension {

    public static final ExtensionId<DurableSafetyState> ID = new ExtensionId<>() {
        @Override
        public DurableSafetyState createExtension(ActorSystem<?> system) {
            return new DurableSafetyState(system);
        }
    };

    private static final String CONFIG = "nexus.swarm.safety.durable.";
    /** Operator and reason of a journaled engagement the live switch does not accept: it is engaged anyway. */
    private static final String RESTORED_OPERATOR = "operator:journal";

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final IdentityDirectory identities;
    private final Duration askTimeout;
    private final Duration retry;
    private final Duration operatorRefresh;
    private final CompletableFuture<Done> ready = new CompletableFuture<>();
    private final AtomicBoolean restoring = new AtomicBoolean();
    /** DIDs this node admitted from the operator ledger (only these are removed when the ledger drops them). */
    private final Set<String> ledgerOperators = ConcurrentHashMap.newKeySet();

    private DurableSafetyState(ActorSystem<?> system) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        SafetyRegistry registry = SafetyRegistry.get(system);
        this.identities = registry.identities();
        var config = system.settings().config();
        this.askTimeout = duration(config, "ask-timeout", Duration.ofSeconds(15));
        this.retry = duration(config, "retry", Duration.ofSeconds(1));
        this.operatorRefresh = duration(config, "operator-refresh", Duration.ofSeconds(10));
        Supplier<OperatorTokenVerifier> verifiers = () -> registry.services().operatorCommands();
        Clock clock = Clock.systemUTC();
        sharding.init(Entity.of(KillSwitchLedger.ENTITY_KEY, ctx -> KillSwitchLedger.create(verifiers, clock)));
        sharding.init(Entity.of(RevocationLedger.ENTITY_KEY, ctx -> RevocationLedger.create(verifiers, clock)));
        sharding.init(Entity.of(OperatorLedger.ENTITY_KEY, ctx -> OperatorLedger.create(verifiers, identities,
                clock)));
    }

    public static DurableSafetyState get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    private static Duration duration(com.typesafe.config.Config config, String key, Duration fallback) {
        return config.hasPath(CONFIG + key) ? config.getDuration(CONFIG + key) : fallback;
    }

    // ---- writes: each completes only once the ledger stored the event (or already held it) ----

    /** Journals the engagement a signed {@code kill} command asks for. */
    public CompletionStage<Void> engage(String killToken) {
        return write(KillSwitchLedger.ENTITY_KEY, replyTo -> new KillSwitchLedger.Engage(killToken, replyTo));
    }

    /** Journals the release of {@code target} by a signed {@code lift} command (once per approval). */
    public CompletionStage<Void> release(String liftToken, KillTarget target) {
        return write(KillSwitchLedger.ENTITY_KEY, replyTo -> new KillSwitchLedger.Release(liftToken, target,
                replyTo));
    }

    /** Journals the revocation a signed {@code revoke} command asks for. */
    public CompletionStage<Void> revoke(String revokeToken) {
        return write(RevocationLedger.ENTITY_KEY, replyTo -> new RevocationLedger.Revoke(revokeToken, replyTo));
    }

    /** Journals an admission, then admits the operator on this node at once (other nodes at their next refresh). */
    public CompletionStage<Void> admitOperator(String admitToken, String did, String name) {
        return write(OperatorLedger.ENTITY_KEY, replyTo -> new OperatorLedger.Admit(admitToken, replyTo))
                .thenRun(() -> admitFromLedger(did, OperatorTokenVerifier.OPERATOR_PREFIX + name));
    }

    /** Journals a removal, then removes the operator on this node at once (other nodes at their next refresh). */
    public CompletionStage<Void> removeOperator(String removeToken, String did) {
        return write(OperatorLedger.ENTITY_KEY, replyTo -> new OperatorLedger.Remove(removeToken, replyTo))
                .thenRun(() -> removeOperatorHere(did));
    }

    private <C> CompletionStage<Void> write(EntityTypeKey<C> key, Function<ActorRef<LedgerReply>, C> command) {
        return sharding.entityRefFor(key, KillSwitchLedger.ENTITY_ID).<LedgerReply>ask(command::apply, askTimeout)
                .thenApply(reply -> {
                    if (!reply.accepted()) {
                        throw reply.toRefusal();
                    }
                    return null;
                });
    }

    // ---- re-seeding ----

    /**
     * Starts re-seeding this node from the ledgers (once; later calls return the same stage). Completes when the
     * kill switch, the revocation list and the identity directory hold everything the ledgers held.
     */
    public CompletionStage<Done> restore() {
        if (restoring.compareAndSet(false, true)) {
            system.systemActorOf(Behaviors.supervise(seeder()).onFailure(SupervisorStrategy.restart()),
                    "nexus-safety-state-seeder", Props.empty());
        }
        return ready;
    }

    /** Whether this node has been re-seeded (false also when {@link #restore} was never called). */
    public boolean restored() {
        return ready.isDone();
    }

    /** What the three ledgers held when read. */
    record Snapshot(KillSwitchLedger.State killSwitch, RevocationLedger.State revocations,
            OperatorLedger.State operators) {}

    private interface Seed extends NoSerializationVerificationNeeded {}

    private enum Load implements Seed { ALL, OPERATORS }

    private record Loaded(Snapshot snapshot) implements Seed {}

    private record OperatorsLoaded(OperatorLedger.State operators) implements Seed {}

    private record Seeded() implements Seed {}

    private record Failed(String what, Throwable cause, Load again) implements Seed {}

    private Behavior<Seed> seeder() {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ctx.getSelf().tell(ready.isDone() ? Load.OPERATORS : Load.ALL);
            return Behaviors.receive(Seed.class)
                    .onMessageEquals(Load.ALL, () -> {
                        ctx.pipeToSelf(readAll(), (s, f) -> f == null ? new Loaded(s)
                                : new Failed("reading the safety ledgers", f, Load.ALL));
                        return Behaviors.same();
                    })
                    .onMessageEquals(Load.OPERATORS, () -> {
                        ctx.pipeToSelf(read(OperatorLedger.ENTITY_KEY, OperatorLedger.Get::new),
                                (s, f) -> f == null ? new OperatorsLoaded(s)
                                        : new Failed("reading the operator ledger", f, Load.OPERATORS));
                        return Behaviors.same();
                    })
                    .onMessage(Loaded.class, loaded -> {
                        ctx.pipeToSelf(seed(loaded.snapshot()), (d, f) -> f == null ? new Seeded()
                                : new Failed("re-seeding the kill switch and revocations", f, Load.ALL));
                        return Behaviors.same();
                    })
                    .onMessage(Seeded.class, seeded -> {
                        ctx.getLog().info("durable safety state restored: kill switch {}, {} revocation(s), {} "
                                + "operator(s)", KillSwitch.get(system).engaged(),
                                RevocationList.get(system).revoked().size(), ledgerOperators.size());
                        ready.complete(Done.getInstance());
                        timers.startSingleTimer(Load.OPERATORS, operatorRefresh);
                        return Behaviors.same();
                    })
                    .onMessage(OperatorsLoaded.class, loaded -> {
                        applyOperators(loaded.operators());
                        timers.startSingleTimer(Load.OPERATORS, operatorRefresh);
                        return Behaviors.same();
                    })
                    .onMessage(Failed.class, failed -> {
                        // Until the ledgers answer, supervisors here wait (fail closed); the member may not be Up.
                        ctx.getLog().warn("{} failed ({}); retrying in {} ms", failed.what(),
                                failed.cause().toString(), retry.toMillis());
                        timers.startSingleTimer(failed.again(), retry);
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private CompletionStage<Snapshot> readAll() {
        CompletionStage<KillSwitchLedger.State> kill = read(KillSwitchLedger.ENTITY_KEY, KillSwitchLedger.Get::new);
        CompletionStage<RevocationLedger.State> revoked = read(RevocationLedger.ENTITY_KEY, RevocationLedger.Get::new);
        CompletionStage<OperatorLedger.State> operators = read(OperatorLedger.ENTITY_KEY, OperatorLedger.Get::new);
        return kill.thenCombine(revoked, (k, r) -> new Snapshot(k, r, null))
                .thenCombine(operators, (s, o) -> new Snapshot(s.killSwitch(), s.revocations(), o));
    }

    private <C, S> CompletionStage<S> read(EntityTypeKey<C> key, Function<ActorRef<S>, C> get) {
        return sharding.entityRefFor(key, KillSwitchLedger.ENTITY_ID).ask(get::apply, askTimeout);
    }

    /** Revocations and operators at once; the kill switch once this node's Distributed Data holds each target. */
    private CompletionStage<Done> seed(Snapshot snapshot) {
        CompletionStage<Done> revocations = RevocationList.get(system).restore(snapshot.revocations().revoked());
        applyOperators(snapshot.operators());
        KillSwitch killSwitch = KillSwitch.get(system);
        Map<KillTarget, KillSwitchLedger.Engaged> byTarget = new LinkedHashMap<>();
        snapshot.killSwitch().engaged().forEach(e -> byTarget.putIfAbsent(e.target(), e));
        List<CompletableFuture<?>> engaged = new ArrayList<>();
        engaged.add(revocations.toCompletableFuture());
        for (KillSwitchLedger.Engaged e : byTarget.values()) {
            CompletionStage<KillSwitch.Replication> written;
            try {
                written = killSwitch.engage(e.target(), e.operator(), e.reason());
            } catch (IllegalArgumentException unacceptable) {
                // Never skip a journaled engagement: engage it under a neutral name instead.
                written = killSwitch.engage(e.target(), RESTORED_OPERATOR, "restored from the kill-switch journal");
            }
            engaged.add(written.toCompletableFuture());
        }
        return CompletableFuture.allOf(engaged.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
    }

    private void applyOperators(OperatorLedger.State state) {
        state.operators().forEach(this::admitFromLedger);
        for (String did : Set.copyOf(ledgerOperators)) {
            if (!state.operators().containsKey(did)) {
                removeOperatorHere(did);
            }
        }
    }

    private void admitFromLedger(String did, String name) {
        var known = identities.lookup(did);
        if (known.isPresent() && !known.get().name().startsWith(OperatorTokenVerifier.OPERATOR_PREFIX)) {
            system.log().warn("the operator ledger admits {} as {}, but this node knows that key as {}: not admitted",
                    did, name, known.get().name());
            return;
        }
        identities.admit(new Did(did), name);
        ledgerOperators.add(did);
    }

    private void removeOperatorHere(String did) {
        ledgerOperators.remove(did);
        identities.lookup(did).filter(p -> p.name().startsWith(OperatorTokenVerifier.OPERATOR_PREFIX))
                .ifPresent(p -> identities.remove(p.did()));
    }
}
