package org.nexusswarm.actors.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** Asks the entity to accept a signed envelope for its logic; answered with a {@link DeliveryReply}. */
public record Deliver(SignedEnvelope envelope, ActorRef<DeliveryReply> replyTo) implements EntityCommand {}
