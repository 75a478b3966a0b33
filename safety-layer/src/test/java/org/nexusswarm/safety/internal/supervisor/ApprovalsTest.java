package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;



import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.internal.supervisor.SupervisorHarness.types;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.internal.approval.ApprovalProof;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Measured;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Intents whose policy rule demands approvers: the supervisor journals the proposal and the request, opens an
 * approval request, holds the intent (payload included) in its state, and acts only on the decision.
 */
@ExtendWith(LogCapturingExtension.class)
class ApprovalsTest {

    private static final String SHED = "grid.shed-load";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-3");
    private static final List<org.nexusswarm.actors.identity.SwarmKeyPair> APPROVER_KEYS =
            SafetyFixture.approverKeys(3);
    private static final List<String> APPROVERS = SafetyFixture.didsOf(APPROVER_KEYS);
    private static final ApprovalRequirement QUORUM = new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 2,
            APPROVERS, Duration.ofMinutes(1));
    private static final List<String> VOTERS = APPROVERS.subList(0, 2);

    /** A decision proven by the first two approvers' votes, for the request {@code open}. */
    private static ApprovalProof approved(ApprovalRequest.Open open) {
        return h.fixture.proof(open.approvalId(), open.summary(), true, "2 of 3", APPROVER_KEYS.subList(0, 2));
    }

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("ApprovalsTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        h.fixture.usePolicies(SafetyFixture.policy(20, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"grid.shed-load\", approval { quorum { k = 2, approvers = ["
                + String.join(", ", APPROVERS.stream().map(d -> "\"" + d + "\"").toList())
                + "], timeout = 1m } } }\n}\n" + "monitors { envelope-drift { warn = 5 } }"));
    }

    /** Proposes a shed-load intent and returns the approval request the supervisor opened for it. */
    private static ApprovalRequest.Open proposeAndAwaitOpen(Running r, String intentId) {
        h.propose(r, new Act(intentId, SHED, TARGET, "payload of " + intentId, Map.of("mw", 30.0)));
        ApprovalRequest.Open open = h.approvals.receiveMessage();
        // The supervisor names the request after its own journal position, not after the child's intent id.
        assertTrue(open.approvalId().startsWith(r.address() + ":approval-"), open.approvalId());
        assertTrue(!open.approvalId().contains(intentId), open.approvalId());
        return open;
    }

    @Test
    void anIntentNeedingApprovalIsJournaledHeldAndNotRouted() {
        Running r = h.run(List.of(SHED));
        long before = System.currentTimeMillis();

        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "a-1");

        assertEquals(r.address(), open.requester());
        assertEquals("a-1", open.intentId());
        assertEquals(SHED, open.actionClass());
        assertEquals(QUORUM, open.requirement());
        assertTrue(open.summary().contains("asks to " + SHED + " -> " + TARGET), open.summary());
        List<SafetyEvent> events = h.journal(r);
        assertEquals(List.of(Observed.class, ActionProposed.class, ApprovalRequested.class), types(events));
        assertEquals(Map.of("mw", 30.0), ((ActionProposed) events.get(1)).parameters());
        ApprovalRequested requested = (ApprovalRequested) events.get(2);
        assertEquals(open.approvalId(), requested.approvalId());
        assertEquals("a-1", requested.intentId());
        assertEquals(QUORUM, requested.requirement());
        assertEquals("rail:none@20", requested.policyVersion());
        assertTrue(requested.deadlineMillis() >= before + 60_000, "deadline = now + the rule's timeout");
        assertArrayEquals(SafetyFixture.PAYLOADS.toBytes(new Measured("payload of a-1", 30.0, null)),
                requested.payload());
        SupervisorState.Active state = assertInstanceOf(SupervisorState.Active.class, r.kit().getState());
        assertEquals(requested, state.memory().pending().get(open.approvalId()));
        r.entity().inputs().expectNoMessage(); // no outcome yet
        h.router.expectNoMessage();
    }

    @Test
    void anApprovedIntentIsAllowedRoutedAndReportedOnce() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "a-2");
        String approvalId = open.approvalId();

        var result = r.kit().runCommand(approved(open));

        assertEquals(List.of(ApprovalResolved.class, ActionAllowed.class), types(result.events()));
        ApprovalResolved resolved = (ApprovalResolved) SupervisorHarness.decisions(result.events()).get(0);
        assertTrue(resolved.approved());
        assertEquals(VOTERS, resolved.voters());
        ActionAllowed allowed = (ActionAllowed) SupervisorHarness.decisions(result.events()).get(1);
        assertEquals("a-2", allowed.intentId());
        assertEquals("approval " + approvalId, allowed.rule());
        assertEquals("rail:none@20", allowed.policyVersion());
        Deliver routed = h.router.receiveMessage();
        assertEquals(TARGET.toString(), routed.envelope().recipient());
        assertEquals(new Measured("payload of a-2", 30.0, null), SafetyFixture.message(routed.envelope()));
        // The operator's ask caused the intent: its chain waited with it and goes out with the approved envelope.
        assertEquals(List.of(SafetyFixture.OPERATOR), ((org.nexusswarm.safety.internal.provenance.ProvenanceFrame)
                SafetyFixture.PAYLOADS.fromBytes(routed.envelope().payload())).upstream());
        assertEquals(allowed.chronotope().sequence(), routed.envelope().nonce());
        Inputs.expectOutcome(r.entity().inputs(), "a-2", true, "approval " + approvalId);
        assertTrue(result.state().memory().pending().isEmpty());

        // The same notice again, a contradicting one, and one for an unknown request: nothing happens.
        assertTrue(r.kit().runCommand(approved(open)).hasNoEvents());
        assertTrue(r.kit().runCommand(h.fixture.proof(approvalId, open.summary(), false, "late",
                APPROVER_KEYS)).hasNoEvents());
        assertTrue(r.kit().runCommand(h.fixture.proof("agent:nobody:x", open.summary(), true, "2 of 3",
                APPROVER_KEYS)).hasNoEvents());
        h.router.expectNoMessage();
        r.entity().inputs().expectNoMessage();
    }

    @Test
    void aRejectedIntentIsDeniedApprovalRejectedAndNotRouted() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "a-3");

        var result = r.kit().runCommand(h.fixture.proof(open.approvalId(), open.summary(), false,
                "2 of 3 rejected", APPROVER_KEYS.subList(1, 3)));

        assertEquals(List.of(ApprovalResolved.class, ActionDenied.class), types(result.events()));
        ActionDenied denied = (ActionDenied) SupervisorHarness.decisions(result.events()).get(1);
        assertEquals(RefusalCode.APPROVAL_REJECTED, denied.code());
        assertEquals("2 of 3 rejected", denied.detail());
        assertEquals("rail:none@20", denied.policyVersion());
        assertEquals(1, result.state().denials());
        Inputs.expectOutcome(r.entity().inputs(), "a-3", false,
                "APPROVAL_REJECTED: 2 of 3 rejected");
        h.router.expectNoMessage();
    }

    @Test
    void aWaitingIntentSurvivesARestartAndIsAskedForAgain() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open first = proposeAndAwaitOpen(r, "a-4");
        SupervisorState before = r.kit().getState();

        var restarted = r.kit().restart();

        assertEquals(before, restarted.state(), "recovery rebuilds the pending intent");
        assertTrue(restarted.state().memory().pending().containsKey(first.approvalId()));
        LogicStarted fresh = r.entity().starts().expectMessageClass(LogicStarted.class);
        assertEquals(first, h.approvals.receiveMessage(), "the same request again: idempotent");

        r.kit().runCommand(approved(first));

        SignedEnvelope afterRestart = h.router.receiveMessage().envelope();
        assertEquals(new Measured("payload of a-4", 30.0, null), SafetyFixture.message(afterRestart));
        // The chain of a waiting intent is not in the journal: after a restart it goes out as lost, which every
        // provenance rule downstream refuses (fail closed).
        assertEquals(org.nexusswarm.safety.internal.provenance.CauseChain.LOST.hops(),
                ((org.nexusswarm.safety.internal.provenance.ProvenanceFrame) SafetyFixture.PAYLOADS.fromBytes(
                        afterRestart.payload())).upstream());
        Inputs.expectOutcome(r.entity().inputs(), "a-4", true, "approval " + first.approvalId());
        assertNotEquals(r.logic(), fresh.logic(), "a fresh logic after the restart");
    }

    @Test
    void anApprovalArrivingAfterTheCredentialWasRevokedDoesNotLetTheIntentOut() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "a-5");
        String credential = r.entity().credential().id();
        h.fixture.registry.services().useRevocations(credential::equals);

        var result = r.kit().runCommand(approved(open));

        assertEquals(List.of(ApprovalResolved.class, ActionDenied.class), types(result.events()));
        assertEquals(RefusalCode.REVOKED, ((ActionDenied) SupervisorHarness.decisions(result.events()).get(1)).code());
        h.router.expectNoMessage();
    }

    @Test
    void aKillDropsTheWaitingIntentAndALateDecisionChangesNothing() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "a-6");

        var killed = r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "stop", replyTo));
        assertTrue(killed.state().memory().pending().isEmpty());

        assertTrue(r.kit().runCommand(approved(open)).hasNoEvents());
        h.router.expectNoMessage();
        assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
    }

    // ---- attacker tests: approvals bound to what they approve ----------------------------------------------

    @Test
    void approversSeeThePayloadItsDigestTargetPolicyAndExpiry() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "see-1");

        byte[] payload = SafetyFixture.PAYLOADS.toBytes(new Measured("payload of see-1", 30.0, null));
        assertTrue(open.summary().contains("payload of see-1"), open.summary());
        assertTrue(open.summary().contains(org.nexusswarm.memory.chronotope.HashChain.sha256Hex(payload)),
                open.summary());
        assertTrue(open.summary().contains(TARGET.toString()) && open.summary().contains("rail:none@20")
                && open.summary().contains("expires"), open.summary());
    }

    @Test
    void aForgedDecisionIsRefusedJournaledAndNotObeyed() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "forge-1");
        List<org.nexusswarm.actors.identity.SwarmKeyPair> strangers = SafetyFixture.approverKeys(2);

        // No votes at all, votes by keys the policy does not name, and one approver's vote counted twice.
        for (ApprovalProof forged : List.of(
                new ApprovalProof(new org.nexusswarm.safety.api.approval.ApprovalDecided(open.approvalId(), true,
                        "2 of 3", VOTERS), open.summary(), List.of()),
                h.fixture.proof(open.approvalId(), open.summary(), true, "2 of 3", strangers),
                h.fixture.proof(open.approvalId(), open.summary(), true, "2 of 3",
                        List.of(APPROVER_KEYS.get(0), APPROVER_KEYS.get(0))))) {
            var result = r.kit().runCommand(forged);
            assertEquals(List.of(SafetyEvent.Refused.class), types(result.events()));
            assertEquals(RefusalCode.BAD_SIGNATURE,
                    ((SafetyEvent.Refused) SupervisorHarness.decisions(result.events()).get(0)).code());
            assertTrue(result.state().memory().pending().containsKey(open.approvalId()), "still waiting");
        }
        // A forged rejection before the deadline does not deny (denials would count towards a kill).
        var rejected = r.kit().runCommand(h.fixture.proof(open.approvalId(), open.summary(), false, "no",
                strangers));
        assertEquals(List.of(SafetyEvent.Refused.class), types(rejected.events()));
        assertEquals(0, rejected.state().denials());
        h.router.expectNoMessage();
        r.entity().inputs().expectNoMessage();
    }

    @Test
    void votesCastInAnotherSwarmOrInTheRetiredFormatProveNothing() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open open = proposeAndAwaitOpen(r, "elsewhere-1");
        List<org.nexusswarm.safety.api.approval.Vote> otherSwarm = APPROVER_KEYS.subList(0, 2).stream()
                .map(k -> (org.nexusswarm.safety.api.approval.Vote) org.nexusswarm.safety.api.approval.TokenVote.of(
                        new org.nexusswarm.safety.api.operator.OperatorTokenVerifier(h.fixture.registry.identities(),
                                java.time.Clock.systemUTC(), org.nexusswarm.safety.api.operator.OperatorCommandSettings
                                        .DEFAULTS.withAudience("another-swarm"))
                                .verify(org.nexusswarm.safety.api.operator.OperatorTokens.sign(k, "another-swarm",
                                        org.nexusswarm.safety.api.operator.OperatorCommandKind.VOTE,
                                        org.nexusswarm.safety.api.operator.OperatorTokens.body("approvalId",
                                                open.approvalId(), "approve", true)),
                                        org.nexusswarm.safety.api.operator.OperatorCommandKind.VOTE)))
                .toList();
        List<org.nexusswarm.safety.api.approval.Vote> legacy = APPROVER_KEYS.subList(0, 2).stream()
                .map(k -> (org.nexusswarm.safety.api.approval.Vote) org.nexusswarm.safety.api.approval.SignedVote
                        .sign(k, open.approvalId(), true, 1, ""))
                .toList();
        for (List<org.nexusswarm.safety.api.approval.Vote> votes : List.of(otherSwarm, legacy)) {
            var result = r.kit().runCommand(new ApprovalProof(new org.nexusswarm.safety.api.approval.ApprovalDecided(
                    open.approvalId(), true, "2 of 3", VOTERS), open.summary(), votes));
            assertEquals(List.of(SafetyEvent.Refused.class), types(result.events()));
            assertTrue(result.state().memory().pending().containsKey(open.approvalId()), "still waiting");
        }
        h.router.expectNoMessage();
        // The same approvers' votes cast in this swarm approve it.
        r.kit().runCommand(approved(open));
        h.router.receiveMessage();
    }

    @Test
    void anApprovalIsNotReusedForANewPayloadUnderTheSameIntentId() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open first = proposeAndAwaitOpen(r, "same-1");
        r.kit().runCommand(approved(first));
        assertEquals(new Measured("payload of same-1", 30.0, null),
                SafetyFixture.message(h.router.receiveMessage().envelope()));
        Inputs.expectOutcome(r.entity().inputs(), "same-1", true, "approval " + first.approvalId());

        // The child re-sends the intent id with another payload: a new request, and the old decision is void.
        h.propose(r, new Act("same-1", SHED, TARGET, "5000 MW instead", Map.of("mw", 30.0)));
        ApprovalRequest.Open second = h.approvals.receiveMessage();
        assertNotEquals(first.approvalId(), second.approvalId());
        assertTrue(second.summary().contains("5000 MW instead"), second.summary());

        assertTrue(r.kit().runCommand(approved(first)).hasNoEvents(), "the old decision has no effect");
        // Votes for the old request, presented with the new request's summary, do not verify for the new id.
        var replayed = r.kit().runCommand(new ApprovalProof(approved(first).decided(), second.summary(),
                approved(first).votes()));
        assertTrue(replayed.hasNoEvents());
        h.router.expectNoMessage();
        assertTrue(r.kit().getState().memory().pending().containsKey(second.approvalId()));
    }

    @Test
    void aDecisionForAnotherPayloadCannotReleaseAPendingOne() {
        Running r = h.run(List.of(SHED));
        ApprovalRequest.Open small = proposeAndAwaitOpen(r, "swap-1");
        h.propose(r, new Act("swap-2", SHED, TARGET, "the big one", Map.of("mw", 30.0)));
        ApprovalRequest.Open big = h.approvals.receiveMessage();

        // Valid votes on the big request's id, but naming the small request's content (digest): refused.
        var swapped = r.kit().runCommand(h.fixture.proof(big.approvalId(), small.summary(), true, "2 of 3",
                APPROVER_KEYS.subList(0, 2)));
        assertEquals(List.of(SafetyEvent.Refused.class), types(swapped.events()));
        h.router.expectNoMessage();

        // What is sent on approval is the payload journaled when the request opened, nothing else.
        r.kit().runCommand(approved(small));
        assertEquals(new Measured("payload of swap-1", 30.0, null),
                SafetyFixture.message(h.router.receiveMessage().envelope()));
        assertTrue(r.kit().getState().memory().pending().containsKey(big.approvalId()));
    }
}
