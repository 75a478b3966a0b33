package org.nexusswarm.actors.spi;

import org.nexusswarm.actors.entity.EntityAddress;

/** What a logic is told when it starts: its own address and its place (region or cell id). */
public record AgentContext(EntityAddress self, String place) {}
