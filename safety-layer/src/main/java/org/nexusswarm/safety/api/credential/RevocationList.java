package org.nexusswarm.safety.api.credential;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterActorRefProvider;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORSet;
import org.apache.pekko.cluster.ddata.ORSetKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.pattern.StatusReply;

/**
 * The swarm's list of revoked credential ids, replicated to every node with Distributed Data: an
 * {@code ORSet<String>} under one key, written with {@code WriteMajority} (or {@code WriteAll}) and a short
 * timeout; when the timeout passes the write still stands locally and gossip carries it to every node within
 * seconds. A Pekko extension: {@code RevocationList.get(system)} starts it (call it at boot so the node subscribes
 * early).
 *
 * <p>A small node-local actor subscribes to the key and publishes each change into an immutable snapshot, so
 * {@link #isRevoked} is a lock-free read (a volatile field and a set lookup) fit for the hot path. Revocation is
 * permanent: the snapshot only grows. The source of truth after a full-cluster restart is the revocation ledger's
 * journal, which every node re-seeds this list from at start ({@link #restore}). On an actor system without the cluster provider (tools, unit tests) the list
 * is local to this node, which {@link #replicated()} reports.
 *
 * <p>Config (optional): {@code nexus.swarm.safety.revocations.write-timeout} (default 3 s) and
 * {@code nexus.swarm.safety.revocations.write-consistency} ({@code majority} (default) or {@code all}).
 */
public final class RevocationList implements Extension {

    public static final ExtensionId<RevocationList> ID = new ExtensionId<>() {
        @Override
        public RevocationList createExtension(ActorSystem<?> system) {
            return new RevocationList(system);
        }
    };

    /** The Distributed Data key every node reads and writes. */
    public static final Key<ORSet<String>> KEY = ORSetKey.create("nexus-revoked-credentials");
    public static final int MAX_ID_CHARS = 512;
    private static final int MAX_LOGGED_REASON_CHARS = 300;
    private static final String CONFIG = "nexus.swarm.safety.revocations.";

    private final ActorSystem<?> system;
    private final boolean replicated;
    private final Duration writeTimeout;
    private final ActorRef<Command> replica;
    private volatile Set<String> snapshot = Set.of();

    private RevocationList(ActorSystem<?> system) {
        this.system = system;
        var config = system.settings().config();
        this.writeTimeout = config.hasPath(CONFIG + "write-timeout")
                ? config.getDuration(CONFIG + "write-timeout") : Duration.ofSeconds(3);
        boolean writeAll = config.hasPath(CONFIG + "write-consistency")
                && "all".equalsIgnoreCase(config.getString(CONFIG + "write-consistency"));
        this.replicated = ((ExtendedActorSystem) Adapter.toClassic(system)).provider()
                instanceof ClusterActorRefProvider;
        if (replicated) {
            Replicator.WriteConsistency consistency = writeAll
                    ? new Replicator.WriteAll(writeTimeout) : new Replicator.WriteMajority(writeTimeout);
            this.replica = system.systemActorOf(Behaviors.supervise(Replica.create(this, consistency, writeTimeout))
                    .onFailure(SupervisorStrategy.restart()), "nexus-credential-revocations", Props.empty());
        } else {
            this.replica = null;
            system.log().info("credential revocations are local to this node (actor provider is not 'cluster')");
        }
    }

    public static RevocationList get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** True when {@code credentialId} is revoked, as far as this node has heard. Lock-free. */
    public boolean isRevoked(String credentialId) {
        return credentialId != null && snapshot.contains(credentialId);
    }

    /** The revoked ids this node knows of (an immutable snapshot). */
    public Set<String> revoked() {
        return snapshot;
    }

    /** False when this node is not a cluster member and its revocations stay local. */
    public boolean replicated() {
        return replicated;
    }

    /**
     * Revokes {@code credentialId}: effective on this node at once, and completed once a majority (or all) of
     * the nodes confirmed it, or the write timeout passed (gossip then spreads it). Fails for a blank id, one
     * longer than {@value #MAX_ID_CHARS} characters or with control characters.
     */
    public CompletionStage<Done> revoke(String credentialId, String reason) {
        if (credentialId == null || credentialId.isBlank() || credentialId.length() > MAX_ID_CHARS
                || credentialId.chars().anyMatch(Character::isISOControl)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a credential id to revoke must be "
                    + "1-" + MAX_ID_CHARS + " printable characters"));
        }
        String why = reason == null ? "" : reason.length() <= MAX_LOGGED_REASON_CHARS ? reason
                : reason.substring(0, MAX_LOGGED_REASON_CHARS) + "…";
        if (!replicated) {
            merge(Set.of(credentialId));
            system.log().warn("credential {} revoked on this node only: {}", credentialId, why);
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return AskPattern.askWithStatus(replica, replyTo -> new Revoke(credentialId, why, replyTo),
                writeTimeout.plusSeconds(2), system.scheduler());
    }

    /**
     * Re-seeds revocations read from the cluster's revocation journal: in force on this node before the stage is
     * returned, then written to Distributed Data (completes when written, or the write timeout passed).
     */
    public CompletionStage<Done> restore(Collection<String> credentialIds) {
        Set<String> ids = Set.copyOf(credentialIds);
        merge(ids);
        if (!replicated || ids.isEmpty()) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return AskPattern.askWithStatus(replica, replyTo -> new Restore(ids, replyTo), writeTimeout.plusSeconds(2),
                system.scheduler());
    }

    /** Adds ids to the snapshot; the only writer in cluster mode is the replica actor. */
    private synchronized void merge(Collection<String> ids) {
        if (snapshot.containsAll(ids)) {
            return;
        }
        Set<String> union = new HashSet<>(snapshot);
        union.addAll(ids);
        snapshot = Set.copyOf(union);
    }

    /** The replica actor's protocol: node-local, never crosses the network. */
    interface Command extends NoSerializationVerificationNeeded {}

    /** Revoke an id and answer when the write is confirmed (or timed out, still applied locally). */
    record Revoke(String credentialId, String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Write ids read back from the journal; answer when written (or timed out, applied locally). */
    record Restore(Set<String> credentialIds, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Internal: the replicator's answer to a restore. */
    private record Restored(Restore request, Replicator.UpdateResponse<ORSet<String>> response) implements Command {}

    /** Internal: the replicator's answer to our update. */
    private record Written(Revoke request, Replicator.UpdateResponse<ORSet<String>> response) implements Command {}

    /** Internal: a change notification from the subscription. */
    private record Subscribed(Replicator.SubscribeResponse<ORSet<String>> response) implements Command {}

    /** Subscribes to {@link #KEY} and publishes changes into the snapshot; writes revocations. */
    private static final class Replica {

        private final ActorContext<Command> context;
        private final ReplicatorMessageAdapter<Command, ORSet<String>> replicator;
        private final SelfUniqueAddress self;
        private final RevocationList list;
        private final Replicator.WriteConsistency consistency;

        private Replica(ActorContext<Command> context, ReplicatorMessageAdapter<Command, ORSet<String>> replicator,
                RevocationList list, Replicator.WriteConsistency consistency) {
            this.context = context;
            this.replicator = replicator;
            this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
            this.list = list;
            this.consistency = consistency;
        }

        static Behavior<Command> create(RevocationList list, Replicator.WriteConsistency consistency,
                Duration writeTimeout) {
            return Behaviors.setup(ctx -> {
                // The adapter's own ask timeout must outlast the write timeout: an adapter timeout fails the actor.
                ReplicatorMessageAdapter<Command, ORSet<String>> replicator = new ReplicatorMessageAdapter<>(ctx,
                        DistributedData.get(ctx.getSystem()).replicator(), writeTimeout.plusSeconds(5));
                replicator.subscribe(KEY, Subscribed::new);
                return new Replica(ctx, replicator, list, consistency).behavior();
            });
        }

        private Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(Revoke.class, this::onRevoke)
                    .onMessage(Written.class, this::onWritten)
                    .onMessage(Restore.class, this::onRestore)
                    .onMessage(Restored.class, this::onRestored)
                    .onMessage(Subscribed.class, this::onSubscribed)
                    .build();
        }

        private Behavior<Command> onRevoke(Revoke request) {
            list.merge(Set.of(request.credentialId()));
            context.getLog().warn("revoking credential {}: {}", request.credentialId(), request.reason());
            replicator.askUpdate(
                    replyTo -> new Replicator.Update<>(KEY, ORSet.empty(), consistency, replyTo,
                            set -> set.add(self, request.credentialId())),
                    response -> new Written(request, response));
            return Behaviors.same();
        }

        private Behavior<Command> onRestore(Restore request) {
            list.merge(request.credentialIds());
            replicator.askUpdate(
                    replyTo -> new Replicator.Update<>(KEY, ORSet.empty(), consistency, replyTo, set -> {
                        ORSet<String> next = set;
                        for (String id : request.credentialIds()) {
                            next = next.add(self, id);
                        }
                        return next;
                    }),
                    response -> new Restored(request, response));
            return Behaviors.same();
        }

        private Behavior<Command> onRestored(Restored restored) {
            if (restored.response() instanceof Replicator.UpdateSuccess
                    || restored.response() instanceof Replicator.UpdateTimeout) {
                restored.request().replyTo().tell(StatusReply.ack());
            } else {
                restored.request().replyTo().tell(StatusReply.error("re-seeding revocations failed to replicate: "
                        + restored.response()));
            }
            return Behaviors.same();
        }

        private Behavior<Command> onWritten(Written written) {
            Revoke request = written.request();
            if (written.response() instanceof Replicator.UpdateSuccess) {
                request.replyTo().tell(StatusReply.ack());
            } else if (written.response() instanceof Replicator.UpdateTimeout) {
                context.getLog().info("revocation of {} is not yet confirmed by {}; gossip spreads it",
                        request.credentialId(), consistency);
                request.replyTo().tell(StatusReply.ack());
            } else {
                request.replyTo().tell(StatusReply.error("revocation of " + request.credentialId()
                        + " failed to replicate: " + written.response()));
            }
            return Behaviors.same();
        }

        private Behavior<Command> onSubscribed(Subscribed subscribed) {
            if (subscribed.response() instanceof Replicator.Changed<ORSet<String>> changed) {
                list.merge(changed.get(KEY).getElements());
            }
            return Behaviors.same();
        }
    }
}
