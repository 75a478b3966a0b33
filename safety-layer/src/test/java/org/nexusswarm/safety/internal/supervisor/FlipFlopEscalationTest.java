package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
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
import org.nexusswarm.safety.internal.monitor.Assessment;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.replay.ReplayWindow;
import org.nexusswarm.safety.api.replay.WhatIfDecision;
import org.nexusswarm.safety.api.replay.WhatIfReplay;
import org.nexusswarm.safety.api.replay.WhatIfReport;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Escalated;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;

/**
 * The flip-flop and flapping monitors through the supervisor: the patterns the strict A,B,A,B monitor missed
 * escalate, a steady agent on a ramp does not, and the journal alone rebuilds the same rung (restart) and the same
 * kill (what-if replay under the same policy).
 */
@ExtendWith(LogCapturingExtension.class)
class FlipFlopEscalationTest {

    private static final String OPEN = "valve.open";
    private static final String CLOSE = "valve.close";
    private static final String SHED = "grid.shed-load";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-8");
    private static final Policy LOW_LADDERS = SafetyFixture.policy(80, "rules { anything { action = \"*\" } }\n"
            + "monitors {\n  oscillation { warn = 2, throttle = 3 }\n  parameter-flapping { warn = 2, kill = 3 }\n}");

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("FlipFlopEscalationTest", "nexus.swarm.safety.max-denials = 50");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        h.fixture.usePolicies(LOW_LADDERS);
    }

    private static List<EscalationLevel> levels(Running r) {
        return h.eventsOf(r, Escalated.class).stream().map(Escalated::level).toList();
    }

    private static void actAll(Running r, String... classes) {
        for (int i = 0; i < classes.length; i++) {
            assertTrue(h.act(r, "i-" + i, classes[i], TARGET).allowed());
            h.router.receiveMessage();
        }
    }

    @Test
    void aabbEscalates() {
        Running r = h.run(List.of(OPEN, CLOSE));
        actAll(r, OPEN, OPEN, CLOSE, CLOSE, OPEN, OPEN, CLOSE, CLOSE);
        assertEquals(List.of(EscalationLevel.WARN), levels(r));
        assertEquals(Assessment.OSCILLATION, h.last(r, Escalated.class).monitor());
    }

    @Test
    void abbaabbaEscalatesAndTheRungIsRebuiltFromTheJournal() {
        Running r = h.run(List.of(OPEN, CLOSE));
        actAll(r, OPEN, CLOSE, CLOSE, OPEN, OPEN, CLOSE, CLOSE, OPEN);
        assertEquals(List.of(EscalationLevel.WARN, EscalationLevel.THROTTLE), levels(r));
        SupervisorState before = r.kit().getState();
        r.kit().restart();
        assertEquals(before.memory(), r.kit().getState().memory());
    }

    @Test
    void aParameterFlappingWithinOneClassEscalatesToTheKillAndAReplayPredictsIt() {
        Running r = h.run(List.of(SHED));
        double[] mw = {10, 50, 10};
        for (int i = 0; i < mw.length; i++) {
            assertTrue(h.act(r, "s-" + i, SHED, TARGET, Map.of("mw", mw[i])).allowed());
            h.router.receiveMessage();
        }
        assertEquals(List.of(), levels(r), "one swing back is not flapping yet");
        assertTrue(h.act(r, "s-3", SHED, TARGET, Map.of("mw", 50.0)).allowed());
        h.router.receiveMessage();
        Escalated warn = h.last(r, Escalated.class);
        assertEquals(EscalationLevel.WARN, warn.level());
        assertEquals(Assessment.PARAMETER_FLAPPING, warn.monitor());
        assertTrue(warn.reason().contains("mw of grid.shed-load swung back 2 times"), warn.reason());

        h.propose(r, new Act("s-4", SHED, TARGET, "x", Map.of("mw", 10.0)));
        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));
        Killed killed = h.last(r, Killed.class);
        assertTrue(killed.reason().startsWith("trajectory monitor parameter-flapping"), killed.reason());
        assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());

        List<WhatIfDecision> decisions = new ArrayList<>();
        WhatIfReport report = WhatIfReplay.run(LOW_LADDERS, 50, ReplayWindow.ALL, h.fullJournal(r).iterator(),
                decisions::add);
        assertTrue(report.whatIfKill().contains("parameter-flapping"), report.whatIfKill());
        assertEquals(List.of(WhatIfDecision.Change.UNCHANGED), decisions.subList(0, 4).stream()
                .map(WhatIfDecision::change).distinct().toList(), "the decisions before the kill");
    }

    @Test
    void aSteadyAgentOnARampIsNotEscalated() {
        Running r = h.run(List.of(SHED, OPEN));
        for (int i = 0; i < 10; i++) {
            assertTrue(h.act(r, "ramp-" + i, SHED, TARGET, Map.of("mw", 10.0 + 5 * i)).allowed());
            h.router.receiveMessage();
        }
        // One change of course, then steady: no flip-flop either.
        actAll(r, OPEN, OPEN, OPEN);
        assertEquals(List.of(), levels(r));
    }
}
