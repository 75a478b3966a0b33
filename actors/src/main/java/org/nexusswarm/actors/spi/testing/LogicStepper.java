package org.nexusswarm.actors.spi.testing;

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
 * Runs an {@link AgentLogic} in the caller's thread, with no actor system: what an AI team uses to test its logic
 * (the same function the supervisor's child and {@code journal replay} call). {@link #tell} calls the step and
 * queues the intents it returned in an {@link Outbox}; on the way it checks that a step never changes the state it
 * was given (its string form before and after), the mistake that breaks replays.
 *
 * <p>Failures are {@link AssertionError}s, so any test framework reports them.
 */
public final class LogicStepper<S> {

    /** A fixed journaled time tests can feed with their inputs. */
    public static final long T = 1_700_000_000_000L;

    /** The intents the logic returned, oldest first. */
    public static final class Outbox {
        private final Deque<Intent> intents = new ArrayDeque<>();

        /** The oldest intent not yet taken; fails when the logic returned none. */
        public Intent next() {
            Intent next = intents.pollFirst();
            if (next == null) {
                throw new AssertionError("expected an intent, the logic returned none");
            }
            return next;
        }

        /** Fails when an intent is waiting. */
        public void expectNone() {
            if (!intents.isEmpty()) {
                throw new AssertionError("expected no intent, got " + intents);
            }
        }

        /** Takes every waiting intent. */
        public List<Intent> drain() {
            List<Intent> out = List.copyOf(intents);
            intents.clear();
            return out;
        }
    }

    private final AgentLogic<S> logic;
    private final Outbox outbox;
    private S state;

    private LogicStepper(AgentLogic<S> logic, AgentContext context, Outbox outbox) {
        this.logic = logic;
        this.outbox = outbox;
        this.state = logic.init(context);
    }

    /** Starts {@code logic} as entity {@code self} at {@code place}; its intents go to {@code outbox}. */
    public static <S> LogicStepper<S> start(AgentLogic<S> logic, EntityAddress self, String place, Outbox outbox) {
        return new LogicStepper<>(logic, new AgentContext(self, place), outbox);
    }

    /** One step; its intents go to the outbox. */
    public void tell(AgentInput input) {
        String before = String.valueOf(state);
        Step<S> step = logic.step(state, input);
        if (!before.equals(String.valueOf(state))) {
            throw new AssertionError("a step must not change the state it was given: " + before + " became " + state);
        }
        state = step.state();
        outbox.intents.addAll(step.intents());
    }

    public S state() {
        return state;
    }
}
