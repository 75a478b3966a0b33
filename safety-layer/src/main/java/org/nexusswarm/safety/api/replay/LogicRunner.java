package org.nexusswarm.safety.api.replay;

import java.util.List;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/**
 * One incarnation of an entity's logic, run in the calling thread: the same pure step function the supervisor's
 * logic child calls, with no actor system, no network and no timers, so nothing the logic does leaves the replay.
 *
 * @param <S> the logic's state
 */
final class LogicRunner<S> {

    private final AgentLogic<S> logic;
    private S state;

    private LogicRunner(AgentLogic<S> logic, EntityAddress self, String place) {
        this.logic = logic;
        this.state = logic.init(new AgentContext(self, place));
    }

    /** Starts a logic (its {@code init}); a failure of the logic propagates. */
    static LogicRunner<?> start(AgentLogic<?> logic, EntityAddress self, String place) {
        return new LogicRunner<>(logic, self, place);
    }

    /** Feeds one input; returns the intents the step returned. A failure of the logic propagates, state kept. */
    List<Intent> feed(AgentInput input) {
        Step<S> step = logic.step(state, input);
        if (step == null) {
            throw new IllegalStateException("step returned null");
        }
        state = step.state();
        return step.intents();
    }
}
