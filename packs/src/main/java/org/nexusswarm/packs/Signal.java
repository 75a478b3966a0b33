package org.nexusswarm.packs;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/** One observation a signal feed delivers to an entity. */
public record Signal(EntityAddress target, SwarmMessage payload) {

    public Signal {
        if (target == null || payload == null) {
            throw new IllegalArgumentException("target and payload are required");
        }
    }
}
