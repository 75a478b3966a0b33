package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.replay.ReplayWindow;
import org.nexusswarm.safety.api.replay.WhatIfDecision;
import org.nexusswarm.safety.api.replay.WhatIfReplay;
import org.nexusswarm.safety.api.replay.WhatIfReport;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team of the policy sequence rule "shed load after observing a Note (or raising an alert) within 30 s needs a
 * co-sign", through the supervisor with an injected clock: within the window the action waits for approval, after
 * it or without the trigger it does not; a what-if replay of the journal under the same policy decides the same.
 */
@ExtendWith(LogCapturingExtension.class)
class SequenceRuleTest {

    private static final String SHED = "grid.shed-load";
    private static final String ALERT = "alert.raise";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-7");

    private static SupervisorHarness h;
    private static Policy policy;
    private TestClock clock;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("SequenceRuleTest");
        String approver = SafetyFixture.approverDids(1).get(0);
        policy = SafetyFixture.policy(70, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"" + SHED + "\"\n"
                + "    approval { co-sign { approvers = [\"" + approver + "\"], timeout = 5m } }\n"
                + "    after { observed = [\"Note\"], performed = [\"alert.*\"], within = 30s } }\n}");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        clock = TestClock.frozenNow();
        h.fixture.registry.useClock(clock);
        h.fixture.usePolicies(policy);
    }

    private void observeNote(Running r) {
        var reply = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("storm ahead")));
        assertInstanceOf(DeliveryReply.Accepted.class, reply.reply());
        r.entity().inputs().receiveMessage();
    }

    private void expectApprovalFor(Running r, String intentId) {
        h.propose(r, new Act(intentId, SHED, TARGET, "shed 40 MW"));
        ApprovalRequest.Open open = h.approvals.receiveMessage();
        assertEquals(SHED, open.actionClass());
        assertEquals(intentId, h.last(r, ApprovalRequested.class).intentId());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(200));
        h.router.expectNoMessage(Duration.ofMillis(50));
    }

    private List<WhatIfDecision> whatIfUnderTheSamePolicy(Running r) {
        List<WhatIfDecision> decisions = new ArrayList<>();
        WhatIfReport report = WhatIfReplay.run(policy, 50, ReplayWindow.ALL, h.fullJournal(r).iterator(),
                decisions::add);
        assertEquals(0, report.changed(), decisions.toString());
        return decisions;
    }

    @Test
    void theActionWithinTheWindowAfterTheObservedPayloadNeedsApproval() {
        Running r = h.run(List.of(SHED, ALERT));
        observeNote(r);
        clock.advance(Duration.ofSeconds(29));
        expectApprovalFor(r, "shed-1");
        List<WhatIfDecision> replayed = whatIfUnderTheSamePolicy(r);
        assertEquals(WhatIfDecision.Verdict.APPROVAL, replayed.get(replayed.size() - 1).whatIf().verdict());
    }

    @Test
    void theActionAfterTheWindowIsAllowedWithoutApproval() {
        Running r = h.run(List.of(SHED, ALERT));
        observeNote(r);
        clock.advance(Duration.ofSeconds(31));
        assertTrue(h.act(r, "shed-late", SHED, TARGET).allowed());
        h.router.receiveMessage();
        h.approvals.expectNoMessage(Duration.ofMillis(100));
        whatIfUnderTheSamePolicy(r);
    }

    @Test
    void theActionWithoutTheTriggerIsAllowedWithoutApproval() {
        Running r = h.run(List.of(SHED, ALERT));
        assertTrue(h.act(r, "shed-plain", SHED, TARGET).allowed());
        h.router.receiveMessage();
        h.approvals.expectNoMessage(Duration.ofMillis(100));
        whatIfUnderTheSamePolicy(r);
    }

    @Test
    void aPerformedActionClassTriggersTooAndSurvivesARestart() {
        Running r = h.run(List.of(SHED, ALERT));
        assertTrue(h.act(r, "alert-1", ALERT, TARGET).allowed());
        h.router.receiveMessage();
        clock.advance(Duration.ofSeconds(10));
        r.kit().restart();
        r.entity().starts().expectMessageClass(TestPayloads.LogicStarted.class);
        expectApprovalFor(r, "shed-after-alert");
        whatIfUnderTheSamePolicy(r);
    }
}
