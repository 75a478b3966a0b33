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
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.internal.monitor.Assessment;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Escalated;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;

/**
 * The trajectory monitors and their escalation ladder, driven through the supervisor: each new rung is journaled
 * as {@code Escalated}, THROTTLE refuses what exceeds the token bucket, REQUIRE_APPROVAL routes every action through the
 * approvers of {@code safety.escalation}, KILL quarantines. {@code max-denials} is raised here so the monitors,
 * not the denial limit, decide.
 */
@ExtendWith(LogCapturingExtension.class)
class MonitorEscalationTest {

    private static final String COMPUTE = "compute.request";
    private static final String ALERT = "alert.raise";
    private static final String FUNDS = "funds.transfer";
    private static final String SHED = "grid.shed-load";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-6");

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        // One token and no queue: on the THROTTLE rung one intent passes, the next is refused at once.
        h = new SupervisorHarness("MonitorEscalationTest", "nexus.swarm.safety.max-denials = 50\n"
                + "nexus.swarm.safety.throttle { per-second = 0.001, burst = 1, queue = 0 }");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
    }

    private static List<EscalationLevel> levels(Running r) {
        return h.eventsOf(r, Escalated.class).stream().map(Escalated::level).toList();
    }

    @Test
    void aRisingDenialRateWarnsThenThrottlesThenKills() {
        h.fixture.usePolicies(SafetyFixture.policy(50, "rules {\n  anything { action = \"*\" }\n"
                + "  no-funds { action = \"funds.*\", deny = true }\n}\n"
                + "monitors { denial-rate { warn = 0.2, throttle = 0.4, kill = 0.6 } }"));
        Running r = h.run(List.of(COMPUTE, FUNDS));
        for (int i = 1; i <= 4; i++) {
            assertTrue(h.act(r, "ok-" + i, COMPUTE, TARGET).allowed());
            h.router.receiveMessage();
        }
        assertEquals(List.of(), levels(r));

        assertFalse(h.act(r, "f-1", FUNDS, TARGET).allowed()); // 1 of 5 denied: 0.2
        assertEquals(List.of(EscalationLevel.WARN), levels(r));
        Escalated warn = h.last(r, Escalated.class);
        assertEquals(Assessment.DENIAL_RATE, warn.monitor());
        assertEquals(0.2, warn.value(), 1e-9);
        assertFalse(h.act(r, "f-2", FUNDS, TARGET).allowed()); // 2 of 6: still WARN, nothing journaled
        assertEquals(List.of(EscalationLevel.WARN), levels(r));
        assertFalse(h.act(r, "f-3", FUNDS, TARGET).allowed()); // 3 of 7: THROTTLE
        assertEquals(List.of(EscalationLevel.WARN, EscalationLevel.THROTTLE), levels(r));

        // Throttled: the bucket's one token lets the next intent be decided as usual (here: denied by policy).
        assertFalse(h.act(r, "f-4", FUNDS, TARGET).allowed()); // 4 of 8
        assertEquals(RefusalCode.NO_RULE, h.last(r, ActionDenied.class).code());
        // No token left and no room to wait: what the policy allows is refused THROTTLED.
        AgentInput.Outcome throttled = h.act(r, "ok-5", COMPUTE, TARGET); // 5 of 9
        assertFalse(throttled.allowed());
        assertEquals(RefusalCode.THROTTLED, h.last(r, ActionDenied.class).code());
        h.router.expectNoMessage();

        h.propose(r, new Act("ok-6", COMPUTE, TARGET, "x")); // 6 of 10: KILL
        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));

        assertEquals(List.of(EscalationLevel.WARN, EscalationLevel.THROTTLE, EscalationLevel.KILL), levels(r));
        List<SafetyEvent> events = h.journal(r);
        assertEquals(List.of(ActionDenied.class, Escalated.class, Killed.class),
                types(events.subList(events.size() - 3, events.size())));
        Killed killed = h.last(r, Killed.class);
        assertEquals("safety-layer", killed.by());
        assertTrue(killed.reason().startsWith("trajectory monitor denial-rate"), killed.reason());
        SupervisorState.Quarantined q = assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
        assertEquals(killed.reason(), q.reason());
        assertEquals(6, q.denials());
        r.entity().inputs().expectNoMessage();
    }

    @Test
    void oscillatingBetweenTwoActionsWarnsThenThrottlesAndTheRungSurvivesARestart() {
        h.fixture.usePolicies(SafetyFixture.policy(51, "rules { anything { action = \"*\" } }\n"
                + "monitors { oscillation { warn = 2, throttle = 3 } }"));
        Running r = h.run(List.of(COMPUTE, ALERT));
        List<String> abab = List.of(COMPUTE, ALERT, COMPUTE, ALERT, COMPUTE);

        for (int i = 0; i < abab.size(); i++) {
            assertTrue(h.act(r, "o-" + i, abab.get(i), TARGET).allowed(), "a rung is journaled after the decision");
            h.router.receiveMessage();
        }

        assertEquals(List.of(EscalationLevel.WARN, EscalationLevel.THROTTLE), levels(r));
        assertTrue(h.eventsOf(r, Escalated.class).stream().allMatch(e -> e.monitor().equals(Assessment.OSCILLATION)));
        // The one token goes to the next intent; the empty bucket is journaled facts and survives the restart.
        assertTrue(h.act(r, "o-token", ALERT, TARGET).allowed());
        h.router.receiveMessage();
        r.kit().restart();
        assertEquals(EscalationLevel.THROTTLE, r.kit().getState().memory().escalation());
        r.entity().starts().expectMessageClass(TestPayloads.LogicStarted.class);
        assertFalse(h.act(r, "o-next", ALERT, TARGET).allowed());
        assertEquals(RefusalCode.THROTTLED, h.last(r, ActionDenied.class).code());
        h.router.expectNoMessage();
    }

    @Test
    void parametersAtTheEnvelopesEdgeRequireTheEscalationApproversForTheNextAction() {
        List<String> approver = SafetyFixture.approverDids(1);
        h.fixture.usePolicies(SafetyFixture.policy(52, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"grid.shed-load\", parameters { mw { max = 50 } } }\n"
                + "  escalation { action = \"safety.escalation\", approval { co-sign { approvers = [\""
                + approver.get(0) + "\"], timeout = 5m } } }\n}"));
        Running r = h.run(List.of(COMPUTE, SHED));

        assertTrue(h.act(r, "edge", SHED, TARGET, Map.of("mw", 50.0)).allowed());
        h.router.receiveMessage();
        Escalated escalated = h.last(r, Escalated.class);
        assertEquals(EscalationLevel.REQUIRE_APPROVAL, escalated.level());
        assertEquals(Assessment.ENVELOPE_DRIFT, escalated.monitor());

        h.propose(r, new Act("next", COMPUTE, TARGET, "x"));

        ApprovalRequest.Open open = h.approvals.receiveMessage();
        assertEquals(new ApprovalRequirement(ApprovalRequirement.Kind.CO_SIGN, 1, approver, Duration.ofMinutes(5)),
                open.requirement());
        assertEquals("next", h.last(r, ApprovalRequested.class).intentId());
        r.entity().inputs().expectNoMessage();
        h.router.expectNoMessage();
    }

    @Test
    void withoutEscalationApproversTheApprovalRungRefusesEverything() {
        h.fixture.usePolicies(SafetyFixture.policy(53, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"grid.shed-load\", parameters { mw { max = 50 } } }\n}"));
        Running r = h.run(List.of(COMPUTE, SHED));
        assertTrue(h.act(r, "edge", SHED, TARGET, Map.of("mw", 49.5)).allowed());
        h.router.receiveMessage();
        assertEquals(List.of(EscalationLevel.REQUIRE_APPROVAL), levels(r));

        assertFalse(h.act(r, "next", COMPUTE, TARGET).allowed());

        ActionDenied denied = h.last(r, ActionDenied.class);
        assertEquals(RefusalCode.THROTTLED, denied.code());
        assertTrue(denied.detail().contains("no policy rule for 'safety.escalation'"), denied.detail());
        h.approvals.expectNoMessage();
    }

    @Test
    void aMonitorWindowLongerThanTheStatisticsReachIsCutNotFatal() {
        h.fixture.usePolicies(SafetyFixture.policy(54, "rules { anything { action = \"*\" } }\n"
                + "monitors { window = 2h }"));
        Running r = h.run(List.of(COMPUTE));

        assertTrue(h.act(r, "w-1", COMPUTE, TARGET).allowed());
        assertTrue(h.act(r, "w-2", COMPUTE, TARGET).allowed());

        r.entity().starts().expectNoMessage(); // the supervisor did not fail and restart its logic
        assertEquals(2, h.eventsOf(r, SafetyEvent.ActionAllowed.class).size());
    }
}
