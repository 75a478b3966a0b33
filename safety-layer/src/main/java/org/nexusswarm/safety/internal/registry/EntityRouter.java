package org.nexusswarm.safety.internal.registry;

import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;

/**
 * How a supervisor reaches another entity. In a running swarm this is Cluster Sharding; unit tests plug in
 * a probe. Only supervisors use it: logic children never see it.
 */
@FunctionalInterface
public interface EntityRouter {
    void deliver(EntityAddress target, Deliver message);
}
