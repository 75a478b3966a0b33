package org.nexusswarm.safety.internal.approval;

import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.operator.JournaledTestLedger;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * Approver keys, requirements, votes as signed operator commands, the node's authenticator over a journaled nonce
 * ledger, and a notifier that routes each decision to the probe of its approval id, so requests left over from
 * earlier tests (whose timers fire when a test advances manual time) never reach the current test's probes.
 */
final class ApprovalFixture {

    static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final AtomicLong IDS = new AtomicLong();

    /** Six approvers, the seeds' "Nexus Validation Machine". */
    final List<SwarmKeyPair> approvers = IntStream.range(0, 6).mapToObj(i -> Ed25519.generate()).toList();
    final SwarmKeyPair outsider = Ed25519.generate();
    private final ActorTestKit testKit;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong nonces = new AtomicLong(System.currentTimeMillis() * 1000);
    /** The swarm the test system is: what votes must name as their audience. */
    final String audience;
    /** The replay guard every approval request of the test system claims vote nonces in. */
    final JournaledTestLedger ledger;

    /** The probes one approval id's notifications go to. */
    record Watch(TestProbe<ApprovalDecided> decisions, TestProbe<EntityAddress> requesters) {}

    /** The last proof delivered (its votes must verify against the request). */
    volatile ApprovalProof lastProof;

    ApprovalFixture(ActorTestKit testKit) {
        this.testKit = testKit;
        this.audience = OperatorCommandSettings.audienceOf(testKit.system());
        this.ledger = new JournaledTestLedger(testKit);
        useLedger();
        ApprovalNotifier.get(testKit.system()).deliverWith((requester, proof) -> {
            ApprovalDecided decided = proof.decided();
            lastProof = proof;
            Watch watch = watches.get(decided.approvalId());
            if (watch != null) {
                watch.requesters().ref().tell(requester);
                watch.decisions().ref().tell(decided);
            }
        });
    }

    static String freshId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    static EntityAddress requester(String approvalId) {
        return EntityAddress.of(EntityKind.AGENT, "requester-of-" + approvalId);
    }

    Watch watch(String approvalId) {
        return watches.computeIfAbsent(approvalId,
                id -> new Watch(testKit.createTestProbe(), testKit.createTestProbe()));
    }

    List<String> dids(List<SwarmKeyPair> keys) {
        return keys.stream().map(k -> k.did().value()).toList();
    }

    ApprovalRequirement quorum() {
        return new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 3, dids(approvers), TIMEOUT);
    }

    /** Human co-signature: 1 of 2 named humans. */
    ApprovalRequirement coSign() {
        return new ApprovalRequirement(ApprovalRequirement.Kind.CO_SIGN, 1, dids(approvers.subList(0, 2)), TIMEOUT);
    }

    long nonce() {
        return nonces.incrementAndGet();
    }

    /** Approval requests authenticate votes with the journaled ledger again (after a test swapped it). */
    void useLedger() {
        SafetyRegistry registry = SafetyRegistry.get(testKit.system());
        registry.services().useOperatorAuthenticator(ledger.authenticator(registry.identities(), audience));
    }

    /** A vote by {@code keys}: a signed operator command of kind vote, for this swarm, living two minutes. */
    String vote(SwarmKeyPair keys, String approvalId, boolean approve) {
        return vote(keys, OperatorTokens.body("approvalId", approvalId, "approve", approve, "comment",
                approve ? "looks right" : "no"));
    }

    String vote(SwarmKeyPair keys, Map<String, Object> body) {
        return OperatorTokens.sign(keys, audience, OperatorCommandKind.VOTE, body);
    }
}
