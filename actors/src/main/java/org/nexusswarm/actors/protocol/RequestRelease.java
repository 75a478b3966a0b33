package org.nexusswarm.actors.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Asks a quarantined entity to be released. The supervisor opens an approval request with the approvers its
 * policy names for {@code safety.release}; only when they approve does it journal the release and start the
 * logic afresh. Answered at once with the entity's status (whose reason says what happens next).
 */
public record RequestRelease(String operator, String reason, ActorRef<EntityStatus> replyTo) implements EntityCommand {}
