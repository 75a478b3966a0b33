package org.nexusswarm.coordinator.node;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Logs, whenever membership changes, which deployed entity kinds no Up member can host (their role is missing),
 * and when that is resolved: sharding otherwise only buffers their messages in silence. Local, never serialized.
 */
final class RoleCoverageWatch {

    private RoleCoverageWatch() {}

    static Behavior<ClusterEvent.MemberEvent> create() {
        return Behaviors.setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(),
                    ClusterEvent.MemberEvent.class));
            return watching(List.of());
        });
    }

    private static Behavior<ClusterEvent.MemberEvent> watching(List<EntityKind> reported) {
        return Behaviors.receive((ctx, event) -> {
            if (Cluster.get(ctx.getSystem()).selfMember().status() != MemberStatus.up()) {
                return Behaviors.same(); // leaving or not yet Up: members going away is expected, not a gap
            }
            List<EntityKind> missing = missing(ctx.getSystem());
            if (missing.equals(reported)) {
                return Behaviors.same();
            }
            if (missing.isEmpty()) {
                ctx.getLog().warn("every deployed entity kind has a member with its role again");
            } else {
                ctx.getLog().warn(NodeRoles.describeMissing(missing));
            }
            return watching(missing);
        });
    }

    /** The deployed kinds no Up member has the role for, now. */
    static List<EntityKind> missing(ActorSystem<?> system) {
        Set<EntityKind> deployed = EnumSet.noneOf(EntityKind.class);
        SafetyRegistry.get(system).specs().forEach(s -> deployed.add(s.address().kind()));
        var up = StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up())
                .map(m -> (Set<String>) m.getRoles())
                .toList();
        return NodeRoles.missing(deployed, up);
    }
}
