package org.nexusswarm.actors.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Operator kill: stop the entity's logic and quarantine it; answered with the resulting status. It arrives through
 * sharding, so it proves itself: {@code operatorToken} is a signed operator command (compact JWS, kind
 * {@code kill}, scope ENTITY, naming this entity) that the supervisor verifies; who and why are read from it.
 * Anything else is refused and journaled.
 */
public record Kill(String operatorToken, ActorRef<EntityStatus> replyTo) implements EntityCommand {

    @Override
    public String toString() {
        return "Kill(" + (operatorToken == null ? 0 : operatorToken.length()) + " token chars)";
    }
}
