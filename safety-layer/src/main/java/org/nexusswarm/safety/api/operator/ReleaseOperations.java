package org.nexusswarm.safety.api.operator;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RequestRelease;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;

/**
 * Asks a quarantined entity to be released, from a verified {@link OperatorCommandKind#RELEASE} command
 * {@code {entity, reason}}. The operator only starts the process: the command travels on to the entity's
 * supervisor (which verifies it again), and the supervisor opens an approval with the approvers its policy names
 * for {@code safety.release}, releasing itself only once they approve.
 */
public final class ReleaseOperations {

    private final ActorSystem<?> system;
    private final Duration askTimeout;

    public ReleaseOperations(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
    }

    /** Forwards the release to the entity; {@code addressed} (e.g. the URL's entity) must match the command's. */
    public CompletionStage<EntityStatus> release(VerifiedOperatorCommand cmd, String addressed) {
        KillSwitchOperations.require(cmd, OperatorCommandKind.RELEASE);
        String entity = cmd.text("entity");
        cmd.text("reason");
        if (addressed != null && !addressed.equals(entity)) {
            throw new OperatorCommandRefused(Code.WRONG_TARGET, "the command releases " + entity + ", not "
                    + addressed);
        }
        EntityAddress address;
        try {
            address = EntityAddress.parse(entity);
        } catch (IllegalArgumentException e) {
            throw new OperatorCommandRefused(Code.MALFORMED, "entity is not an entity address: " + e.getMessage());
        }
        return ClusterSharding.get(system).entityRefFor(address.kind().typeKey(), address.id())
                .<EntityStatus>ask(replyTo -> new RequestRelease(cmd.token(), replyTo), askTimeout)
                .handle((status, failure) -> {
                    if (failure != null) {
                        throw KillSwitchOperations.unavailable("entity " + entity, failure);
                    }
                    return status;
                });
    }
}
