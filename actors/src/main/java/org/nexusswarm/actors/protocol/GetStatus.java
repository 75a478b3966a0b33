package org.nexusswarm.actors.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** Asks the entity's supervisor for its current status. */
public record GetStatus(ActorRef<EntityStatus> replyTo) implements EntityCommand {}
