package org.nexusswarm.safety.api;

import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.internal.supervisor.SafetySupervisor;

/**
 * The safety layer on a node. The coordinator, packs and tools reach the layer only through the
 * {@code org.nexusswarm.safety.api} packages; everything under {@code org.nexusswarm.safety.internal} (the
 * supervisor actor, its pipeline, the policy engine and stores, authenticators, the kill switch) may change
 * without notice ({@code LayeringTest} enforces it).
 */
public final class SafetyLayer {

    private SafetyLayer() {}

    /**
     * Starts the layer on {@code system}: every entity kind sharded under its safety supervisor, routing between
     * entities, approvals, policies, revocations and the kill switch. Call once per node, before deploying.
     */
    public static void start(ActorSystem<?> system) {
        SafetySupervisor.initSharding(system);
    }
}
