package org.nexusswarm.actors.spi;

import org.apache.pekko.actor.typed.ActorRef;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * What a logic child is given: its own address, its place (region or cell id) and its only way out, the
 * parent's intent outbox.
 */
public record LogicContext(EntityAddress self, String place, ActorRef<Intent> outbox) {}
