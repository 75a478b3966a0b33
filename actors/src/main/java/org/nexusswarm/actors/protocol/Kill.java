package org.nexusswarm.actors.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** Operator kill switch: stop the entity's logic and quarantine it; answered with the resulting status. */
public record Kill(String operator, String reason, ActorRef<EntityStatus> replyTo) implements EntityCommand {}
