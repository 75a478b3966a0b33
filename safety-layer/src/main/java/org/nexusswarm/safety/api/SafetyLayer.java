package org.nexusswarm.safety.api;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
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
    /** True when {@code status} is the answer of the stand-in for an id no rail deployed on that node. */
    public static boolean notDeployed(org.nexusswarm.actors.protocol.EntityStatus status) {
        return org.nexusswarm.safety.internal.supervisor.NotDeployed.answeredBy(status);
    }

    public static void start(ActorSystem<?> system) {
        SafetySupervisor.initSharding(system);
    }

    /**
     * Completes once this node enforces the journaled kill switch, revocations and admitted operators (re-read from
     * their ledgers after {@link #start}; the member must be Up for that). Entities here wait for it on their own;
     * a node should not serve operators before it.
     */
    public static CompletionStage<Done> restored(ActorSystem<?> system) {
        return SafetyRegistry.get(system).services().safetyStateRestored();
    }
}
