package org.nexusswarm.safety.internal.supervisor;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;

/**
 * Stands in for an entity id that no rail deployed on this node. It refuses every delivery with
 * {@link RefusalCode#NOT_DEPLOYED} and writes no journal: otherwise anyone could create journals for
 * arbitrary ids just by addressing them.
 */
public final class NotDeployed {

    private NotDeployed() {}

    /** What the stand-in says about {@code address}, in every refusal and status. */
    static String detail(EntityAddress address) {
        return "no entity " + address + " is deployed on this swarm";
    }

    /** True for the stand-in's status (no rail deployed the entity on the node that answered). */
    public static boolean answeredBy(org.nexusswarm.actors.protocol.EntityStatus status) {
        return status.lastSequence() == 0 && detail(status.address()).equals(status.reason());
    }

    static Behavior<EntityCommand> behavior(EntityAddress address) {
        String detail = detail(address);
        EntityStatus status = new EntityStatus(address, false, 0, 0, detail);
        return Behaviors.receive(EntityCommand.class)
                .onMessage(Deliver.class, d -> {
                    d.replyTo().tell(new DeliveryReply.Refused(address.toString(), RefusalCode.NOT_DEPLOYED, detail, 0));
                    return Behaviors.same();
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(status);
                    return Behaviors.same();
                })
                .onMessage(Kill.class, k -> {
                    k.replyTo().tell(status);
                    return Behaviors.same();
                })
                .build();
    }
}
