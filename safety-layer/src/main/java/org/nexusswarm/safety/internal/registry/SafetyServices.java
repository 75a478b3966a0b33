package org.nexusswarm.safety.internal.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.auth.PeerKeys;
import org.nexusswarm.safety.internal.auth.SessionKeys;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.policy.Policy;

/**
 * The node-wide services a safety supervisor consults, each behind a small interface so a supervisor runs the
 * same way under a unit-test kit (local defaults) and on a cluster node (Distributed Data and sharding,
 * installed at boot by {@code SafetySupervisor.initSharding}).
 *
 * <p>The defaults fail closed where it matters: no policy source means no policy, so every action is denied.
 */
public final class SafetyServices {

    /** Where the policies in force come from. */
    @FunctionalInterface
    public interface PolicySource {
        List<Policy> applicable(String rail, String pack);
    }

    /** Whether a credential id was revoked. */
    @FunctionalInterface
    public interface Revocations {
        boolean isRevoked(String credentialId);
    }

    /** The kill switch as a supervisor sees it: what covers it now, and notice of changes. */
    public interface KillSwitchView {
        /** The engaged target covering the entity, as text for the journal, or empty. */
        Optional<String> covering(String entityAddress, String rail, String pack);

        void subscribe(ActorRef<KillSwitch.Changed> subscriber);

        KillSwitchView NONE = new KillSwitchView() {
            @Override
            public Optional<String> covering(String entityAddress, String rail, String pack) {
                return Optional.empty();
            }

            @Override
            public void subscribe(ActorRef<KillSwitch.Changed> subscriber) {}
        };
    }

    private final PeerKeys peerKeys;
    private final Map<EntityAddress, SessionKeys> sessionKeys = new ConcurrentHashMap<>();
    private volatile PolicySource policies = (rail, pack) -> List.of();
    private volatile Revocations revocations = id -> false;
    private volatile KillSwitchView killSwitch = KillSwitchView.NONE;
    private volatile java.util.concurrent.CompletionStage<org.apache.pekko.Done> safetyStateRestored =
            java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
    private volatile org.nexusswarm.memory.checkpoint.CheckpointSigner checkpointSigner =
            org.nexusswarm.memory.checkpoint.CheckpointSigner.ephemeral();
    private volatile Consumer<ApprovalRequest.Open> approvals = open -> {
        throw new IllegalStateException("no approval service on this node (boot the swarm node first)");
    };

    private volatile org.nexusswarm.safety.api.operator.OperatorTokenVerifier operatorCommands;
    private volatile org.nexusswarm.safety.api.operator.NonceLedger operatorNonces = (issuer, jti, expires) ->
            java.util.concurrent.CompletableFuture.failedFuture(new org.nexusswarm.safety.api.operator
                    .OperatorCommandRefused(org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code.UNAVAILABLE,
                    "no operator-command replay guard on this node (boot the swarm node first)"));

    public SafetyServices(IdentityDirectory identities) {
        this.peerKeys = new PeerKeys(identities);
        this.operatorCommands = new org.nexusswarm.safety.api.operator.OperatorTokenVerifier(identities,
                java.time.Clock.systemUTC(), org.nexusswarm.safety.api.operator.OperatorCommandSettings.DEFAULTS);
    }

    /**
     * Checks the signed operator commands that Kill and RequestRelease carry through sharding (signature, admitted
     * operator, kind, time; their nonce was spent at the edge that accepted them).
     */
    public org.nexusswarm.safety.api.operator.OperatorTokenVerifier operatorCommands() {
        return operatorCommands;
    }

    public void useOperatorCommands(org.nexusswarm.safety.api.operator.OperatorTokenVerifier verifier) {
        this.operatorCommands = verifier;
    }

    /**
     * The one authenticator of the operator commands that entities claim themselves (votes, policy pushes): the
     * verifier above and the journaled nonce ledger. Until a node installs its ledger, every claim fails
     * {@code UNAVAILABLE} (fail closed: no command is carried out without a replay guard).
     */
    public org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator operatorAuthenticator() {
        return new org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator(operatorCommands, operatorNonces);
    }

    public void useOperatorAuthenticator(org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator authenticator) {
        this.operatorCommands = authenticator.verifier();
        this.operatorNonces = authenticator.ledger();
    }

    /** Session-key announcements of the entities and principals this node may exchange MAC'd envelopes with. */
    public PeerKeys peerKeys() {
        return peerKeys;
    }

    /** Registers the private X25519 session keys of an entity hosted here. */
    public void hostSessionKeys(EntityAddress address, SessionKeys keys) {
        sessionKeys.put(address, keys);
    }

    /** The entity's session keys, or fresh ones (then peers fall back to Ed25519 signatures towards it). */
    public SessionKeys sessionKeys(EntityAddress address) {
        return sessionKeys.computeIfAbsent(address, a -> SessionKeys.generate(a.toString()));
    }

    public PolicySource policies() {
        return policies;
    }

    public void usePolicies(PolicySource source) {
        this.policies = source;
    }

    public Revocations revocations() {
        return revocations;
    }

    public void useRevocations(Revocations source) {
        this.revocations = source;
    }

    /**
     * Completes once this node enforces the durable safety state (kill switch, revocations, operators re-seeded from
     * their journals); supervisors wait for it before their first message. Complete unless a node installs one.
     */
    public java.util.concurrent.CompletionStage<org.apache.pekko.Done> safetyStateRestored() {
        return safetyStateRestored;
    }

    public void useSafetyStateRestored(java.util.concurrent.CompletionStage<org.apache.pekko.Done> restored) {
        this.safetyStateRestored = java.util.Objects.requireNonNull(restored, "restored");
    }

    public KillSwitchView killSwitch() {
        return killSwitch;
    }

    public void useKillSwitch(KillSwitchView view) {
        this.killSwitch = view;
    }

    /**
     * The hosting node's key that signs journal checkpoints. Until a node installs its keystore key, a key that
     * lives as long as this JVM (so unit tests sign too; their checkpoints are not trusted by any reviewer).
     */
    public org.nexusswarm.memory.checkpoint.CheckpointSigner checkpointSigner() {
        return checkpointSigner;
    }

    public void useCheckpointSigner(org.nexusswarm.memory.checkpoint.CheckpointSigner signer) {
        this.checkpointSigner = signer;
    }

    /** Opens an approval request (by default through Cluster Sharding once the node has booted). */
    public void openApproval(ApprovalRequest.Open open) {
        approvals.accept(open);
    }

    public void useApprovals(Consumer<ApprovalRequest.Open> opener) {
        this.approvals = opener;
    }
}
