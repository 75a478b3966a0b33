package org.nexusswarm.actors.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Asks a quarantined entity to be released. The supervisor opens an approval request with the approvers its
 * policy names for {@code safety.release}; only when they approve does it journal the release and start the
 * logic afresh. Answered at once with the entity's status (whose reason says what happens next). Like
 * {@link Kill}, it carries the signed operator command (kind {@code release}, naming this entity) that the
 * supervisor verifies; anything else is refused and journaled.
 */
public record RequestRelease(String operatorToken, ActorRef<EntityStatus> replyTo) implements EntityCommand {

    @Override
    public String toString() {
        return "RequestRelease(" + (operatorToken == null ? 0 : operatorToken.length()) + " token chars)";
    }
}
