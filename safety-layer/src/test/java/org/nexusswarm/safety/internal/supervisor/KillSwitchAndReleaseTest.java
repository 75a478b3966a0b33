package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.internal.supervisor.SupervisorHarness.types;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.internal.registry.SafetyServices;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ReleaseRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Released;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * The cluster-wide kill switch as a supervisor sees it (a test view standing in for Distributed Data), and the
 * way back out of quarantine: a release only the approvers named by the policy's {@code safety.release} rule
 * can grant, and never while a kill switch covers the entity.
 */
@ExtendWith(LogCapturingExtension.class)
class KillSwitchAndReleaseTest {

    private static final String COMPUTE = "compute.request";
    private static final String FORBIDDEN = "funds.transfer";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-5");
    private static final List<org.nexusswarm.actors.identity.SwarmKeyPair> APPROVER_KEYS =
            SafetyFixture.approverKeys(3);
    private static final List<String> APPROVERS = SafetyFixture.didsOf(APPROVER_KEYS);
    private static final List<String> VOTERS = APPROVERS.subList(0, 2);
    private static final String RELEASE_RULE = "release { action = \"safety.release\", approval { quorum { k = 2, "
            + "approvers = [" + String.join(", ", APPROVERS.stream().map(d -> "\"" + d + "\"").toList())
            + "], timeout = 1m } } }";

    private static SupervisorHarness h;

    /** A kill switch whose engagements the test sets, and that remembers who subscribed. */
    static final class TestKillSwitch implements SafetyServices.KillSwitchView {
        final Map<String, String> engaged = new ConcurrentHashMap<>();
        final List<ActorRef<KillSwitch.Changed>> subscribers = new CopyOnWriteArrayList<>();

        void engage(EntityAddress entity, String reason) {
            engaged.put(entity.toString(), reason);
            subscribers.forEach(s -> s.tell(new KillSwitch.Changed(Set.of())));
        }

        @Override
        public Optional<String> covering(String entityAddress, String rail, String pack) {
            return Optional.ofNullable(engaged.get(entityAddress));
        }

        @Override
        public void subscribe(ActorRef<KillSwitch.Changed> subscriber) {
            subscribers.add(subscriber);
        }
    }

    private TestKillSwitch killSwitch;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("KillSwitchAndReleaseTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        killSwitch = new TestKillSwitch();
        h.fixture.registry.services().useKillSwitch(killSwitch);
    }

    private static void useReleaseRule() {
        h.fixture.usePolicies(SafetyFixture.policy(40, "rules {\n  anything { action = \"*\" }\n  " + RELEASE_RULE
                + "\n}"));
    }

    /** A running entity quarantined by {@code max-denials} denied intents. */
    private static Running quarantinedByDenials() {
        Running r = h.run(List.of(COMPUTE));
        int max = h.fixture.registry.settings().maxDenials();
        for (int i = 1; i < max; i++) {
            assertFalse(h.act(r, "no-" + i, FORBIDDEN, TARGET).allowed());
        }
        h.propose(r, new TestPayloads.Act("no-" + max, FORBIDDEN, TARGET, "x"));
        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));
        SupervisorState.Quarantined q = assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
        assertEquals(max, q.denials());
        return r;
    }

    private static EntityStatus requestRelease(Running r, String reason) {
        return r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.release(r.address(), reason, replyTo)).reply();
    }

    // ---- kill switch -------------------------------------------------------------------------------------

    @Test
    void engagingTheKillSwitchKillsAndQuarantinesARunningEntity() {
        Running r = h.run(List.of(COMPUTE));
        assertEquals(1, killSwitch.subscribers.size(), "the supervisor subscribed when it started");

        killSwitch.engage(r.address(), "agent:* engaged by bob: runaway");

        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));
        h.router.awaitAssert(Duration.ofSeconds(3), () -> {
            assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
            return null;
        });
        Killed killed = h.last(r, Killed.class);
        assertEquals("kill switch", killed.by());
        assertEquals("agent:* engaged by bob: runaway", killed.reason());
        var refused = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("hello?")));
        assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, refused.reply()).code());
        // A further notice changes nothing: the entity is killed once.
        killSwitch.engage(r.address(), "again");
        r.kit().getState(); // after the notice
        assertEquals(1, h.eventsOf(r, Killed.class).size());
    }

    @Test
    void aNoticeThatDoesNotCoverTheEntityChangesNothing() {
        Running r = h.run(List.of(COMPUTE));

        killSwitch.engage(EntityAddress.of(EntityKind.AGENT, "someone-else"), "not you");

        assertInstanceOf(SupervisorState.Active.class, r.kit().getState());
        assertTrue(h.journal(r).isEmpty());
        assertTrue(h.act(r, "still-1", COMPUTE, TARGET).allowed());
    }

    @Test
    void anEntityCoveredByTheKillSwitchWhenItStartsIsKilledBeforeItsLogicStartsOrItsFirstMessage() {
        SafetyFixture.Deployed entity = h.fixture.deploy("covered", List.of(COMPUTE));
        killSwitch.engaged.put(entity.address().toString(), "rail:none engaged by bob: storm");

        var kit = org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.<
                org.nexusswarm.actors.protocol.EntityCommand, SafetyEvent, SupervisorState>create(h.testKit.system(),
                SafetySupervisor.create(entity.address()));
        // The very first message is handled after Killed is journaled: refused, never seen by the logic.
        var first = kit.<DeliveryReply>runCommand(replyTo -> new org.nexusswarm.actors.protocol.Deliver(
                h.fixture.fromOperator(entity.address(), new Note("first")), replyTo));

        assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, first.reply()).code());
        assertInstanceOf(SupervisorState.Quarantined.class, kit.getState());
        entity.starts().expectNoMessage(Duration.ofMillis(300));
        entity.inputs().expectNoMessage(Duration.ofMillis(100));
        List<SafetyEvent> decisions = SupervisorHarness.decisions(kit.persistenceTestKit().persistedInStorage(
                entity.persistenceId()).stream().map(SafetyEvent.class::cast).toList());
        Killed killed = assertInstanceOf(Killed.class, decisions.get(0), "killed before anything else: " + decisions);
        assertEquals("rail:none engaged by bob: storm", killed.reason());
    }

    // ---- release -----------------------------------------------------------------------------------------

    @Test
    void withoutAReleaseRuleAReleaseIsRefusedAndOnlyTheTakenCommandIsJournaled() {
        Running r = quarantinedByDenials();
        int before = h.journal(r).size();

        EntityStatus status = requestRelease(r, "please");

        assertTrue(status.quarantined());
        assertTrue(status.reason().contains("release is not possible"), status.reason());
        // Taken all the same: re-sent once a policy names release approvers, it would open a release.
        assertEquals(before + 1, h.journal(r).size());
        assertInstanceOf(SafetyEvent.OperatorCommandTaken.class, h.journal(r).get(before));
        h.approvals.expectNoMessage();
        r.entity().starts().expectNoMessage();
    }

    @Test
    void anApprovedReleaseStartsAFreshLogicWithNoDenials() {
        Running r = quarantinedByDenials();
        useReleaseRule();

        var asked = r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.release(r.address(), "fixed", replyTo));

        ApprovalRequest.Open open = h.approvals.receiveMessage();
        assertEquals("release awaits approval " + open.approvalId(), asked.reply().reason());
        assertTrue(asked.reply().quarantined());
        assertEquals(List.of(SafetyEvent.OperatorCommandTaken.class, ReleaseRequested.class), types(asked.events()));
        ReleaseRequested requested = (ReleaseRequested) SupervisorHarness.decisions(asked.events()).get(1);
        assertEquals(open.approvalId(), requested.approvalId());
        assertEquals("operator " + SafetyFixture.OPERATOR, requested.by());
        assertEquals("quorum 2 of 3, 60s", requested.requirement());
        assertEquals("rail:none@40", requested.policyVersion());
        assertEquals(OutboundDecider.RELEASE_ACTION, open.actionClass());
        assertEquals(new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 2, APPROVERS, Duration.ofMinutes(1)),
                open.requirement());
        // Asking again while the approvers decide opens nothing new.
        assertEquals("release awaits approval " + open.approvalId(), requestRelease(r, "fixed!").reason());
        h.approvals.expectNoMessage();

        var decided = r.kit().runCommand(h.fixture.proof(open.approvalId(), open.summary(), true, "2 of 3",
                APPROVER_KEYS.subList(0, 2)));

        assertEquals(List.of(ApprovalResolved.class, Released.class), types(decided.events()));
        assertEquals(VOTERS, ((Released) SupervisorHarness.decisions(decided.events()).get(1)).voters());
        LogicStarted fresh = r.entity().starts().expectMessageClass(LogicStarted.class);
        assertFalse(fresh.logic().equals(r.logic()));
        SupervisorState.Active active = assertInstanceOf(SupervisorState.Active.class, decided.state());
        assertEquals(0, active.denials());
        // Released for real: it hears and acts again, and a restart keeps it active.
        assertTrue(h.act(r, "after-release", COMPUTE, TARGET).allowed());
        r.kit().restart();
        assertInstanceOf(SupervisorState.Active.class, r.kit().getState());
        r.entity().starts().expectMessageClass(LogicStarted.class);
    }

    @Test
    void aRejectedReleaseLeavesTheEntityQuarantinedAndItMayAskAgain() {
        Running r = quarantinedByDenials();
        useReleaseRule();
        requestRelease(r, "fixed");
        String approvalId = h.approvals.receiveMessage().approvalId();

        var decided = r.kit().runCommand(h.fixture.proof(approvalId, "", false, "2 of 3 rejected",
                APPROVER_KEYS.subList(0, 2)));

        assertEquals(List.of(ApprovalResolved.class), types(decided.events()));
        SupervisorState.Quarantined q = assertInstanceOf(SupervisorState.Quarantined.class, decided.state());
        assertEquals("", q.releaseApprovalId());
        r.entity().starts().expectNoMessage();
        var refused = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("x")));
        assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, refused.reply()).code());
        assertTrue(requestRelease(r, "really fixed").reason().startsWith("release awaits approval"));
        ApprovalRequest.Open second = h.approvals.receiveMessage();
        assertFalse(second.approvalId().equals(approvalId), "a new request under a new id");
    }

    @Test
    void noReleaseIsOpenedWhileTheKillSwitchCoversTheEntity() {
        Running r = quarantinedByDenials();
        useReleaseRule();
        killSwitch.engaged.put(r.address().toString(), "agent:* engaged by bob: audit");
        int before = h.journal(r).size();

        EntityStatus status = requestRelease(r, "fixed");

        assertTrue(status.reason().contains("kill switch"), status.reason());
        assertEquals(before + 1, h.journal(r).size(), "only that the command was taken");
        h.approvals.expectNoMessage();
    }

    @Test
    void aReleaseApprovedAfterTheKillSwitchWasEngagedDoesNotStartTheLogic() {
        Running r = quarantinedByDenials();
        useReleaseRule();
        requestRelease(r, "fixed");
        String approvalId = h.approvals.receiveMessage().approvalId();
        killSwitch.engage(r.address(), "agent:* engaged by bob: audit");

        var decided = r.kit().runCommand(h.fixture.proof(approvalId, "", true, "2 of 3",
                APPROVER_KEYS.subList(0, 2)));

        assertEquals(List.of(ApprovalResolved.class, Released.class, Killed.class), types(decided.events()));
        assertEquals("kill switch", ((Killed) SupervisorHarness.decisions(decided.events()).get(2)).by());
        assertInstanceOf(SupervisorState.Quarantined.class, decided.state());
        r.entity().starts().expectNoMessage();
        r.entity().inputs().expectNoMessage();
    }

    @Test
    void aLogicReleasedFromQuarantineIsTheOneThatGetsItsInputs() {
        Running r = quarantinedByDenials();
        useReleaseRule();
        requestRelease(r, "fixed");
        String approvalId = h.approvals.receiveMessage().approvalId();
        r.kit().runCommand(h.fixture.proof(approvalId, "", true, "2 of 3",
                APPROVER_KEYS.subList(0, 2)));
        LogicStarted fresh = r.entity().starts().expectMessageClass(LogicStarted.class);

        h.deliver(r, h.fixture.fromOperator(r.address(), new Note("welcome back")));

        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, new Note("welcome back"));
        // An operator kill after the release stops the new logic.
        r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "again", replyTo));
        r.entity().starts().expectTerminated(fresh.logic(), Duration.ofSeconds(3));
    }
}
