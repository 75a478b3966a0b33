package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.KillTarget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ORSetKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The cluster-wide operator kill switch: a set of engaged {@link KillTarget}s replicated with Distributed Data.
 *
 * <p>The targets live in one {@link ORSet} of strings ({@code SCOPE|name|operator|reason}, so who engaged a
 * target and why travel with it). ORSet is add-wins: an engagement concurrent with a release survives, the
 * safe outcome. Writes go to all nodes with a short timeout ({@link #DEFAULT_WRITE_TIMEOUT}, setting
 * {@code nexus.swarm.safety.kill-switch.write-timeout}); when some node does not confirm in time the write
 * still stands locally and gossip spreads it within seconds ({@link Replication#LOCAL_ONLY}).
 *
 * <p>{@link #covers} is a lock-free read of a local snapshot that a subscription to the replicator keeps
 * current; a local {@link #engage} updates it before its stage completes. {@link #subscribe}rs get a
 * {@link Changed} at once and after every change of the engaged set, so running supervisors stop their
 * entities without polling.
 *
 * <p>Caveats: the set is held in memory by the nodes; the source of truth after a full-cluster restart is the
 * journal of {@code KillSwitchLedger}, which every node re-seeds this set from at start (engagements are journaled
 * there before they are written here). Release is not guarded here: only the quorum-approval path should call
 * {@link #release}. Needs {@code pekko.actor.provider = cluster}.
 */
public final class KillSwitch implements Extension {

    public static final ExtensionId<KillSwitch> ID = new ExtensionId<>() {
        @Override
        public KillSwitch createExtension(ActorSystem<?> system) {
            return new KillSwitch(system);
        }
    };

    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(3);
    static final Key<ORSet<String>> KEY = ORSetKey.create("nexus-kill-switch");
    private static final String SEPARATOR = "|";
    private static final int MAX_OPERATOR_CHARS = 200;
    /** The longest reason an engagement keeps. */
    public static final int MAX_REASON_CHARS = 500;

    /** The engaged targets after a change (and, once, on subscribing). */
    public record Changed(Set<KillTarget> engaged) implements SwarmMessage {
        public Changed {
            engaged = engaged == null ? Set.of() : Set.copyOf(engaged);
        }
    }

    /** One engagement: a target, who engaged it and why. */
    public record Engagement(KillTarget target, String operator, String reason) {}

    /** Whether a write was confirmed by every node in time, or so far only holds on this one. */
    public enum Replication { CONFIRMED, LOCAL_ONLY }

    private record Snapshot(Set<KillTarget> targets, List<Engagement> engagements) {
        static final Snapshot EMPTY = new Snapshot(Set.of(), List.of());
    }

    private final ActorSystem<?> system;
    private final SelfUniqueAddress self;
    private final Duration writeTimeout;
    private final ActorRef<Command> actor;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    private KillSwitch(ActorSystem<?> system) {
        var config = system.settings().config();
        String provider = config.getString("pekko.actor.provider");
        if (!provider.equals("cluster") && !provider.endsWith("ClusterActorRefProvider")) {
            throw new IllegalStateException("the kill switch needs pekko.actor.provider = cluster, not " + provider);
        }
        this.system = system;
        this.self = DistributedData.get(system).selfUniqueAddress();
        String timeoutPath = "nexus.swarm.safety.kill-switch.write-timeout";
        this.writeTimeout = config.hasPath(timeoutPath) ? config.getDuration(timeoutPath) : DEFAULT_WRITE_TIMEOUT;
        // Resume on a failure: restarting would drop the subscribers that running supervisors rely on.
        this.actor = system.systemActorOf(Behaviors.supervise(behavior()).onFailure(SupervisorStrategy.resume()),
                "nexus-kill-switch", Props.empty());
    }

    public static KillSwitch get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /**
     * Engages {@code target} cluster-wide on behalf of {@code operator}. Completes once this node's snapshot
     * covers it, with whether every node confirmed in time. Throws {@link IllegalArgumentException} for a blank
     * operator or reason, or one containing {@code |} (operator) or too long.
     */
    public CompletionStage<Replication> engage(KillTarget target, String operator, String reason) {
        if (target == null) {
            throw new IllegalArgumentException("engage needs a target");
        }
        String element = encode(new Engagement(target, checkedOperator(operator), checkedReason(reason)));
        return modify(set -> set.add(self, element));
    }

    /** Releases every engagement of {@code target}. Callers: only the quorum-approved release path. */
    public CompletionStage<Replication> release(KillTarget target) {
        if (target == null) {
            throw new IllegalArgumentException("release needs a target");
        }
        return modify(set -> {
            ORSet<String> next = set;
            for (String element : set.getElements()) {
                if (decode(element).map(e -> e.target().equals(target)).orElse(false)) {
                    next = next.remove(self, element);
                }
            }
            return next;
        });
    }

    /** True when an engaged target names the entity, its rail or its pack (rail and pack may be null). */
    public boolean covers(String entityAddress, String rail, String pack) {
        for (KillTarget t : snapshot.targets()) {
            if (t.covers(entityAddress, rail, pack)) {
                return true;
            }
        }
        return false;
    }

    /** The first engagement (by scope, name, operator) that covers the entity, e.g. to journal who and why. */
    public Optional<Engagement> covering(String entityAddress, String rail, String pack) {
        return snapshot.engagements().stream().filter(e -> e.target().covers(entityAddress, rail, pack)).findFirst();
    }

    public Set<KillTarget> engaged() {
        return snapshot.targets();
    }

    /** Every engagement, sorted by scope, name and operator. */
    public List<Engagement> engagements() {
        return snapshot.engagements();
    }

    /** {@code subscriber} gets the current {@link Changed} now and another after each change; until it stops. */
    public void subscribe(ActorRef<Changed> subscriber) {
        actor.tell(new Subscribe(subscriber));
    }

    public void unsubscribe(ActorRef<Changed> subscriber) {
        actor.tell(new Unsubscribe(subscriber));
    }

    private CompletionStage<Replication> modify(Function<ORSet<String>, ORSet<String>> change) {
        return AskPattern.<Command, Outcome>ask(actor, replyTo -> new Modify(change, replyTo),
                        writeTimeout.plusSeconds(3), system.scheduler())
                .thenApply(outcome -> {
                    if (outcome.failure() != null) {
                        throw new IllegalStateException(outcome.failure());
                    }
                    return outcome.replication();
                });
    }

    /** Throws {@link IllegalArgumentException} when {@link #engage} would refuse this operator or reason. */
    public static void checkEngagement(String operator, String reason) {
        checkedOperator(operator);
        checkedReason(reason);
    }

    private static String checkedOperator(String operator) {
        if (operator == null || operator.isBlank() || operator.length() > MAX_OPERATOR_CHARS
                || operator.chars().anyMatch(c -> c == '|' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("an operator name has 1 to " + MAX_OPERATOR_CHARS
                    + " characters, without '|' or control characters");
        }
        return operator;
    }

    private static String checkedReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("engaging the kill switch needs a reason");
        }
        if (reason.length() > KillSwitch.MAX_REASON_CHARS) {
            throw new IllegalArgumentException("a reason has at most " + KillSwitch.MAX_REASON_CHARS + " characters");
        }
        return reason.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    static String encode(Engagement e) {
        return e.target().scope() + SEPARATOR + e.target().name() + SEPARATOR + e.operator() + SEPARATOR + e.reason();
    }

    /** Empty for an element that does not parse (written by an incompatible node): it covers nothing. */
    static Optional<Engagement> decode(String element) {
        String[] parts = element.split("\\|", 4);
        if (parts.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Engagement(new KillTarget(KillTarget.Scope.valueOf(parts[0]), parts[1]),
                    parts[2], parts[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---- the replicator-facing actor: local only, never serialized ----

    private interface Command extends NoSerializationVerificationNeeded {}

    private record Modify(Function<ORSet<String>, ORSet<String>> change, ActorRef<Outcome> replyTo)
            implements Command {}

    private record Subscribe(ActorRef<Changed> subscriber) implements Command {}

    private record Unsubscribe(ActorRef<Changed> subscriber) implements Command {}

    private record SubscriberGone(ActorRef<Changed> subscriber) implements Command {}

    private record FromReplicator(Replicator.SubscribeResponse<ORSet<String>> response) implements Command {}

    private record Updated(Replicator.UpdateResponse<ORSet<String>> response, ActorRef<Outcome> replyTo)
            implements Command {}

    private record ReadBack(Replicator.GetResponse<ORSet<String>> response, Replication replication,
            ActorRef<Outcome> replyTo) implements Command {}

    private record Outcome(Replication replication, String failure) implements NoSerializationVerificationNeeded {}

    private Behavior<Command> behavior() {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, ORSet<String>> replicator) -> {
                    replicator.subscribe(KEY, FromReplicator::new);
                    return new Replica(ctx, replicator).behavior();
                }));
    }

    private final class Replica {
        private final ActorContext<Command> ctx;
        private final ReplicatorMessageAdapter<Command, ORSet<String>> replicator;
        private final Set<ActorRef<Changed>> subscribers = new HashSet<>();

        Replica(ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, ORSet<String>> replicator) {
            this.ctx = ctx;
            this.replicator = replicator;
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(Modify.class, this::onModify)
                    .onMessage(Updated.class, this::onUpdated)
                    .onMessage(ReadBack.class, this::onReadBack)
                    .onMessage(FromReplicator.class, this::onChanged)
                    .onMessage(Subscribe.class, this::onSubscribe)
                    .onMessage(Unsubscribe.class, m -> forget(m.subscriber()))
                    .onMessage(SubscriberGone.class, m -> forget(m.subscriber()))
                    .build();
        }

        private Behavior<Command> onModify(Modify cmd) {
            replicator.askUpdate(
                    replyTo -> new Replicator.Update<>(KEY, ORSet.create(), new Replicator.WriteAll(writeTimeout),
                            replyTo, cmd.change()::apply),
                    response -> new Updated(response, cmd.replyTo()));
            return Behaviors.same();
        }

        private Behavior<Command> onUpdated(Updated msg) {
            Replication replication;
            if (msg.response() instanceof Replicator.UpdateSuccess) {
                replication = Replication.CONFIRMED;
            } else if (msg.response() instanceof Replicator.UpdateTimeout) {
                // Applied locally; not every node confirmed in time. Gossip carries it on.
                replication = Replication.LOCAL_ONLY;
            } else {
                msg.replyTo().tell(new Outcome(null, "kill switch update failed: " + msg.response()));
                return Behaviors.same();
            }
            // Read the merged local value back, so covers() reflects the write before the caller hears of it.
            replicator.askGet(replyTo -> new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo),
                    response -> new ReadBack(response, replication, msg.replyTo()));
            return Behaviors.same();
        }

        private Behavior<Command> onReadBack(ReadBack msg) {
            if (msg.response() instanceof Replicator.GetSuccess<ORSet<String>> success) {
                apply(success.dataValue());
            }
            msg.replyTo().tell(new Outcome(msg.replication(), null));
            return Behaviors.same();
        }

        private Behavior<Command> onChanged(FromReplicator msg) {
            if (msg.response() instanceof Replicator.Changed<ORSet<String>> changed) {
                apply(changed.dataValue());
            }
            return Behaviors.same();
        }

        private Behavior<Command> onSubscribe(Subscribe cmd) {
            if (subscribers.add(cmd.subscriber())) {
                ctx.watchWith(cmd.subscriber(), new SubscriberGone(cmd.subscriber()));
            }
            cmd.subscriber().tell(new Changed(snapshot.targets()));
            return Behaviors.same();
        }

        private Behavior<Command> forget(ActorRef<Changed> subscriber) {
            if (subscribers.remove(subscriber)) {
                ctx.unwatch(subscriber);
            }
            return Behaviors.same();
        }

        private void apply(ORSet<String> data) {
            List<Engagement> engagements = new ArrayList<>();
            for (String element : data.getElements()) {
                Optional<Engagement> e = decode(element);
                if (e.isPresent()) {
                    engagements.add(e.get());
                } else {
                    ctx.getLog().warn("ignoring an unreadable kill switch entry: {}", element);
                }
            }
            engagements.sort(Comparator.comparing((Engagement e) -> e.target().scope())
                    .thenComparing(e -> e.target().name()).thenComparing(Engagement::operator)
                    .thenComparing(Engagement::reason));
            Set<KillTarget> targets = new LinkedHashSet<>();
            engagements.forEach(e -> targets.add(e.target()));
            Snapshot previous = snapshot;
            snapshot = new Snapshot(Set.copyOf(targets), List.copyOf(engagements));
            if (!previous.targets().equals(snapshot.targets())) {
                for (KillTarget t : snapshot.targets()) {
                    if (!previous.targets().contains(t)) {
                        covering(t).ifPresent(e -> ctx.getLog().warn("kill switch engaged: {} by {}: {}",
                                t, e.operator(), e.reason()));
                    }
                }
                Changed changed = new Changed(snapshot.targets());
                subscribers.forEach(s -> s.tell(changed));
            }
        }

        private Optional<Engagement> covering(KillTarget t) {
            return snapshot.engagements().stream().filter(e -> e.target().equals(t)).findFirst();
        }
    }
}
