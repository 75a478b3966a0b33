package org.nexusswarm.safety.internal.approval;

import org.nexusswarm.safety.api.approval.ApprovalView;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * The cluster-wide index of pending approval requests, so any node can list them (operator API, CLI).
 *
 * <p>Backed by Distributed Data: an {@link LWWMap} from approval id to {@link ApprovalView}, written locally by
 * the request entities (added on open, refreshed on each vote, removed on decision) and gossiped to every node.
 * On a system that is not a cluster member (unit tests, local tools) it is an in-memory map instead.
 *
 * <p>Caveats: the index is a convenience view, not the truth (the request entities are). It lives in memory, so
 * after a full cluster restart a request reappears once its entity recovers (the requester's supervisor re-opens
 * it). A removal made on a node that had not yet seen the entry cannot remove it, so {@link #pending()} also drops
 * entries whose deadline has passed: such requests are rejected by timeout anyway.
 */
public final class PendingApprovals implements Extension {

    public static final ExtensionId<PendingApprovals> ID = new ExtensionId<>() {
        @Override
        public PendingApprovals createExtension(ActorSystem<?> system) {
            return new PendingApprovals(system);
        }
    };

    static final Key<LWWMap<String, ApprovalView>> KEY = LWWMapKey.create("nexus-pending-approvals");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    /** Null on a non-cluster system. */
    private final ActorRef<Replicator.Command> replicator;
    private final SelfUniqueAddress self;
    private final Map<String, ApprovalView> local = new ConcurrentHashMap<>();

    private PendingApprovals(ActorSystem<?> system) {
        this.system = system;
        if (isCluster(system)) {
            DistributedData ddata = DistributedData.get(system);
            this.replicator = ddata.replicator();
            this.self = ddata.selfUniqueAddress();
        } else {
            this.replicator = null;
            this.self = null;
        }
    }

    public static PendingApprovals get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    private static boolean isCluster(ActorSystem<?> system) {
        String provider = system.settings().config().getString("pekko.actor.provider");
        return provider.equals("cluster") || provider.endsWith(".ClusterActorRefProvider");
    }

    /** The pending requests known on this node, oldest first; requests past their deadline are left out. */
    public CompletionStage<List<ApprovalView>> pending() {
        if (replicator == null) {
            return CompletableFuture.completedFuture(live(local.values()));
        }
        CompletionStage<Replicator.GetResponse<LWWMap<String, ApprovalView>>> answer = AskPattern.ask(replicator,
                replyTo -> new Replicator.Get<>(KEY, Replicator.readLocal(), replyTo), READ_TIMEOUT,
                system.scheduler());
        return answer.thenApply(response -> {
            if (response instanceof Replicator.GetSuccess<LWWMap<String, ApprovalView>> success) {
                return live(success.get(KEY).getEntries().values());
            }
            if (response instanceof Replicator.NotFound) {
                return List.of();
            }
            throw new IllegalStateException("reading the pending approvals failed: " + response);
        });
    }

    /** Adds or refreshes a pending request (called by the request entity). */
    void put(ApprovalView view) {
        if (replicator == null) {
            local.put(view.approvalId(), view);
            return;
        }
        replicator.tell(new Replicator.Update<>(KEY, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(),
                map -> map.put(self, view.approvalId(), view)));
    }

    /** Removes a decided request (called by the request entity). */
    void remove(String approvalId) {
        if (replicator == null) {
            local.remove(approvalId);
            return;
        }
        replicator.tell(new Replicator.Update<>(KEY, LWWMap.create(), Replicator.writeLocal(), system.ignoreRef(),
                map -> map.remove(self, approvalId)));
    }

    private static List<ApprovalView> live(Collection<ApprovalView> views) {
        long now = System.currentTimeMillis();
        return views.stream()
                .filter(v -> v.deadlineMillis() > now)
                .sorted(Comparator.comparingLong(ApprovalView::openedAtMillis).thenComparing(ApprovalView::approvalId))
                .toList();
    }
}
