package org.nexusswarm.safety.internal.approval;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * How a decided approval request reaches the supervisor of the entity that asked for it.
 *
 * <p>By default through Cluster Sharding: the requester's supervisor receives an {@link ApprovalProof} (the decision with
 * its signed votes) as an entity command, wherever it lives. Tests replace the delivery with {@link #deliverWith}. A Pekko extension, so
 * sharded approval requests find it by system.
 */
public final class ApprovalNotifier implements Extension {

    /** Where decisions go. */
    @FunctionalInterface
    public interface Delivery {
        void deliver(EntityAddress requester, ApprovalProof proof);
    }

    public static final ExtensionId<ApprovalNotifier> ID = new ExtensionId<>() {
        @Override
        public ApprovalNotifier createExtension(ActorSystem<?> system) {
            return new ApprovalNotifier(system);
        }
    };

    private volatile Delivery delivery;

    private ApprovalNotifier(ActorSystem<?> system) {
        // Sharding is looked up on first use, so a system that replaces the delivery never needs a cluster.
        this.delivery = (requester, decided) -> ClusterSharding.get(system)
                .entityRefFor(requester.kind().typeKey(), requester.id())
                .tell(decided);
    }

    public static ApprovalNotifier get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Delivers {@code proof} to the supervisor of {@code requester}. */
    public void notify(EntityAddress requester, ApprovalProof proof) {
        delivery.deliver(requester, proof);
    }

    /** Replaces the delivery (tests, tools). */
    public void deliverWith(Delivery newDelivery) {
        this.delivery = newDelivery;
    }
}
