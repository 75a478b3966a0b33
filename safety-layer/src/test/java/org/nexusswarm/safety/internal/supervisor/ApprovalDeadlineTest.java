package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.safety.internal.supervisor.SupervisorHarness.types;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;

/**
 * What happens when approvers never answer: a supervisor gives an approval request its timeout plus a grace
 * period, then rejects the waiting intent (or release) itself. Time is manual here, so the minutes pass at once.
 */
@ExtendWith(LogCapturingExtension.class)
class ApprovalDeadlineTest {

    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-4");
    private static final List<String> APPROVERS = SafetyFixture.approverDids(3);
    /** The rule's timeout is 1 minute; the supervisor waits 30 s longer before it gives up. */
    private static final Duration JUST_BEFORE = Duration.ofSeconds(89);
    private static final Duration PAST_IT = Duration.ofSeconds(2);

    private static SupervisorHarness h;
    private static ManualTime time;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("ApprovalDeadlineTest",
                "pekko.scheduler.implementation = \"org.apache.pekko.testkit.ExplicitlyTriggeredScheduler\"");
        time = ManualTime.get(h.testKit.system());
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        String approval = "approval { quorum { k = 2, approvers = ["
                + String.join(", ", APPROVERS.stream().map(d -> "\"" + d + "\"").toList()) + "], timeout = 1m } }";
        h.fixture.usePolicies(SafetyFixture.policy(30, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"grid.shed-load\", " + approval + " }\n"
                + "  release { action = \"safety.release\", " + approval + " }\n}"));
    }

    @Test
    void anIntentNobodyDecidesIsRejectedAfterTheTimeoutAndTheGrace() {
        Running r = h.run(List.of("grid.shed-load"));
        h.propose(r, new Act("late-1", "grid.shed-load", TARGET, "x"));
        h.approvals.receiveMessage();
        int before = h.journal(r).size();

        time.timePasses(JUST_BEFORE);
        r.kit().getState(); // processed after anything the timers sent
        assertEquals(before, h.journal(r).size(), "still waiting within timeout + grace");
        r.entity().inputs().expectNoMessage();

        time.timePasses(PAST_IT);

        Inputs.expectOutcome(r.entity().inputs(), "late-1", false,
                "APPROVAL_REJECTED: no decision arrived by the deadline");
        List<SafetyEvent> events = h.journal(r);
        assertEquals(List.of(ApprovalResolved.class, ActionDenied.class), types(events.subList(before, events.size())));
        assertFalse(((ApprovalResolved) events.get(before)).approved());
        assertEquals(RefusalCode.APPROVAL_REJECTED, ((ActionDenied) events.get(before + 1)).code());
        assertTrue(r.kit().getState().memory().pending().isEmpty());
        h.router.expectNoMessage();
    }

    @Test
    void aReleaseNobodyDecidesIsRejectedAfterTheDeadlineEvenAcrossARestart() {
        Running r = h.run(List.of("grid.shed-load"));
        r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.kill(r.address(), "inspection", replyTo));
        var asked = r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.release(r.address(), "inspected", replyTo));
        ApprovalRequest.Open open = h.approvals.receiveMessage();
        assertEquals("release awaits approval " + open.approvalId(), asked.reply().reason());

        // The node restarts while the approvers think it over (and their answer is lost).
        r.kit().restart();
        time.timePasses(JUST_BEFORE.plus(PAST_IT));

        h.approvals.awaitAssert(Duration.ofSeconds(3), () -> {
            SupervisorState.Quarantined q =
                    assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
            assertEquals("", q.releaseApprovalId(), "the release request was given up");
            return null;
        });
        ApprovalResolved resolved = h.last(r, ApprovalResolved.class);
        assertEquals(open.approvalId(), resolved.approvalId());
        assertFalse(resolved.approved());
        r.entity().starts().expectNoMessage();
        // And a new request can be made.
        var again = r.kit().<EntityStatus>runCommand(replyTo -> h.fixture.release(r.address(), "try again", replyTo));
        assertTrue(again.reply().reason().startsWith("release awaits approval"), again.reply().reason());
    }
}
