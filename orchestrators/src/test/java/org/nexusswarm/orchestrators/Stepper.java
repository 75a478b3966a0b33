package org.nexusswarm.orchestrators;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/**
 * Runs a pure logic in the test's thread (no actor system): {@link #tell} calls the step and queues the intents
 * it returned in an {@link Outbox}. Checks on the way that a step never mutates the state it was given.
 */
final class Stepper<S> {

    /** The journaled time the tests feed with every input. */
    static final long T = 1_700_000_000_000L;

    /** The intents the logic returned, oldest first. */
    static final class Outbox {
        private final Deque<Intent> intents = new ArrayDeque<>();

        Intent receiveMessage() {
            Intent next = intents.pollFirst();
            assertNotNull(next, "expected an intent, the logic returned none");
            return next;
        }

        Intent expectMessageClass(Class<Intent> type) {
            return receiveMessage();
        }

        Intent expectMessageClass(Class<Intent> type, Duration ignored) {
            return receiveMessage();
        }

        void expectNoMessage() {
            assertTrue(intents.isEmpty(), "expected no intent, got " + intents);
        }

        void expectNoMessage(Duration ignored) {
            expectNoMessage();
        }

        List<Intent> all() {
            List<Intent> out = List.copyOf(intents);
            intents.clear();
            return out;
        }
    }

    private final AgentLogic<S> logic;
    private final Outbox outbox;
    private S state;

    private Stepper(AgentLogic<S> logic, AgentContext context, Outbox outbox) {
        this.logic = logic;
        this.outbox = outbox;
        this.state = logic.init(context);
    }

    static <S> Stepper<S> start(AgentLogic<S> logic, EntityAddress self, String place, Outbox outbox) {
        return new Stepper<>(logic, new AgentContext(self, place), outbox);
    }

    /** One step; its intents go to the outbox. */
    void tell(AgentInput input) {
        String before = String.valueOf(state);
        Step<S> step = logic.step(state, input);
        assertTrue(before.equals(String.valueOf(state)), "a step must not change the state it was given");
        state = step.state();
        outbox.intents.addAll(step.intents());
    }

    S state() {
        return state;
    }
}
