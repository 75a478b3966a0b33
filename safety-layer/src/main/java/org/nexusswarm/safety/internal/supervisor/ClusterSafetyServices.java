package org.nexusswarm.safety.internal.supervisor;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.internal.durable.DurableSafetyState;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;
import org.nexusswarm.safety.internal.policy.PolicyStore;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.registry.SafetyServices;

/**
 * Connects a node's safety services to the cluster: policies, revocations and the kill switch replicated
 * with Distributed Data (re-seeded from their journals at start), approval requests and policy stores as sharded
 * entities.
 */
final class ClusterSafetyServices {

    private ClusterSafetyServices() {}

    static void install(ActorSystem<?> system) {
        SafetyServices services = SafetyRegistry.get(system).services();
        PolicyRegistry policies = PolicyRegistry.get(system);
        services.usePolicies(policies::applicable);
        RevocationList revocations = RevocationList.get(system);
        services.useRevocations(revocations::isRevoked);
        KillSwitch killSwitch = KillSwitch.get(system);
        services.useKillSwitch(new SafetyServices.KillSwitchView() {
            @Override
            public Optional<String> covering(String entityAddress, String rail, String pack) {
                return killSwitch.covering(entityAddress, rail, pack)
                        .map(e -> e.target() + " engaged by " + e.operator() + ": " + e.reason());
            }

            @Override
            public void subscribe(ActorRef<KillSwitch.Changed> subscriber) {
                killSwitch.subscribe(subscriber);
            }
        });
        // Supervisors here wait until the journaled kill switch, revocations and operators are back in force.
        services.useSafetyStateRestored(DurableSafetyState.get(system).restore());
        ApprovalRequest.init(system);
        PolicyStore.init(system);
        // The node's settings (lifetime, skew, audience) for the commands Kill and RequestRelease carry, and the
        // sharded nonce ledger votes and policy pushes claim their nonces in (registered on this node here).
        services.useOperatorAuthenticator(org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator.get(system));
        services.useApprovals(open -> ApprovalRequest.entityRef(system, open.approvalId()).tell(open));
    }
}
