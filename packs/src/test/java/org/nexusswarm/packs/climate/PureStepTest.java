package org.nexusswarm.packs.climate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.orchestrators.ComputeResult;

/**
 * The climate logics as pure functions, no actor system: the same state and input give the same step, a step
 * leaves the state it was given untouched (so it can be replayed or retried), and the logic classes reference
 * nothing but the agent API, payloads and the JDK.
 */
class PureStepTest {

    private static final EntityAddress SELF = DroughtWatchRail.agent(7);
    private static final AgentContext CTX = new AgentContext(SELF, "sahel-cell-07");
    private static final long T = 1_700_000_000_000L;

    private static AgentInput reading(int day) {
        return new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED, new SoilMoistureReading("sahel-cell-07", 9.5,
                41.0, day), T + day);
    }

    @Test
    void anAgentStepIsDeterministicAndLeavesItsInputStateAlone() {
        DroughtWatchAgentLogic logic = DroughtWatchAgentLogic.logic(DroughtWatchRail.orchestrator(),
                DroughtWatchRail.node());
        DroughtWatchAgentLogic.State s0 = logic.init(CTX);
        Step<DroughtWatchAgentLogic.State> a = logic.step(s0, reading(1));
        Step<DroughtWatchAgentLogic.State> b = logic.step(s0, reading(1));
        assertEquals(a, b, "same state and input, same step");
        assertEquals(0, s0.pending().size(), "the given state is untouched");
        assertEquals(0, s0.requests());
        assertEquals(1, a.state().pending().size());
        assertThrows(UnsupportedOperationException.class, () -> a.state().pending().clear(), "immutable state");
    }

    @Test
    void anAgentForgetsTheOldestOpenRequestBeyondItsBoundAndIgnoresForeignResults() {
        DroughtWatchAgentLogic logic = DroughtWatchAgentLogic.logic(DroughtWatchRail.orchestrator(),
                DroughtWatchRail.node());
        DroughtWatchAgentLogic.State s = logic.init(CTX);
        for (int day = 0; day <= DroughtWatchAgentLogic.MAX_PENDING; day++) {
            s = logic.step(s, reading(day)).state();
        }
        assertEquals(DroughtWatchAgentLogic.MAX_PENDING, s.pending().size());
        String oldest = s.pending().get(0).requestId();
        assertFalse(oldest.contains("/day-0/"), "day 0's request was forgotten first: " + oldest);
        // A certified result for an open request, but from someone who is not the orchestrator: no alert.
        ComputeResult result = new ComputeResult(oldest, true, 0.9, "d", 2, 3, List.of());
        Step<DroughtWatchAgentLogic.State> foreign = logic.step(s,
                new AgentInput.Inbound(DroughtWatchRail.agent(8).toString(), result, T));
        assertEquals(List.of(), foreign.intents());
        assertEquals(s, foreign.state());
        Step<DroughtWatchAgentLogic.State> real = logic.step(s,
                new AgentInput.Inbound(DroughtWatchRail.orchestrator().toString(), result, T));
        assertEquals(DroughtWatchAgentLogic.ALERT_ACTION, real.intents().get(0).actionClass());
    }

    @Test
    void theRogueTriesOnEveryReadingAndCountsItsDenialsInItsState() {
        RogueAgentLogic logic = RogueAgentLogic.logic(DroughtWatchRail.node());
        RogueAgentLogic.State s = logic.init(new AgentContext(DroughtWatchRail.agent(99), "sahel-cell-09"));
        for (int i = 1; i <= 3; i++) {
            Step<RogueAgentLogic.State> tried = logic.step(s, reading(i));
            assertEquals(RogueAgentLogic.DIVERT_ACTION, tried.intents().get(0).actionClass());
            assertEquals("drought-watch.agent-099/divert-" + i, tried.intents().get(0).intentId());
            s = logic.step(tried.state(), new AgentInput.Outcome(tried.intents().get(0).intentId(), false, "no",
                    T)).state();
        }
        assertEquals(3, s.denials());
    }

    @Test
    void theRailNodeCountsAlertsPerCellAndActsNever() {
        RailNodeLogic logic = RailNodeLogic.logic();
        AlertLedger s = logic.init(new AgentContext(DroughtWatchRail.node(), "sahel"));
        for (String cell : List.of("c1", "c2", "c1")) {
            Step<AlertLedger> step = logic.step(s, new AgentInput.Inbound(SELF.toString(),
                    new DroughtAlert(cell, SELF.toString(), 0.8, 1, "d"), T));
            assertEquals(List.of(), step.intents());
            s = step.state();
        }
        assertEquals(3, s.total());
        assertEquals(2, s.byCell().get("c1"));
    }

    /**
     * What the lead's bytecode admission will enforce, checked by hand for now: the climate logic classes name
     * no Pekko, logging or safety-layer type.
     */
    @Test
    void theLogicClassesReferenceNoPekkoLoggingOrSafetyLayerType() throws IOException {
        for (Class<?> c : List.of(DroughtWatchAgentLogic.class, DroughtWatchAgentLogic.State.class,
                DroughtWatchAgentLogic.Pending.class, RogueAgentLogic.class, RogueAgentLogic.State.class,
                RailNodeLogic.class, AlertLedger.class)) {
            String name = c.getName().substring(c.getPackageName().length() + 1) + ".class";
            try (InputStream in = c.getResourceAsStream(name)) {
                String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                for (String forbidden : List.of("org/apache/pekko", "org/slf4j", "org/nexusswarm/safety",
                        "java/lang/System", "java/lang/Thread", "java/util/Random")) {
                    assertFalse(constants.contains(forbidden), c.getName() + " references " + forbidden);
                }
            }
        }
    }
}
