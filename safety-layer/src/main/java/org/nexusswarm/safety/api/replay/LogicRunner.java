package org.nexusswarm.safety.api.replay;

import java.util.List;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/**
 * One incarnation of an entity's logic: the same pure step function the supervisor's logic child calls, with no
 * actor system, no network and no timers, so nothing the logic does leaves the replay. Every call into the logic
 * runs through {@link ReplayCalls} (a watchdog thread, the supervisor's wall-time cap); the caller waits for it.
 *
 * @param <S> the logic's state
 */
final class LogicRunner<S> {

    private final AgentLogic<S> logic;
    private final ReplayCalls calls;
    private final String owner;
    private S state;

    private LogicRunner(AgentLogic<S> logic, ReplayCalls calls, EntityAddress self, String place) {
        this.logic = logic;
        this.calls = calls;
        this.owner = String.valueOf(self);
        AgentContext context = new AgentContext(self, place);
        this.state = calls.call(owner, "init", () -> logic.init(context));
    }

    /** Starts a logic (its {@code init}); a failure of the logic, or its overrunning the cap, propagates. */
    static LogicRunner<?> start(AgentLogic<?> logic, ReplayCalls calls, EntityAddress self, String place) {
        return new LogicRunner<>(logic, calls, self, place);
    }

    /**
     * Feeds one input; returns the intents the step returned. A failure of the logic propagates with the state kept;
     * a step still running at the cap throws {@link LogicTimeoutException}.
     */
    List<Intent> feed(AgentInput input) {
        S current = state;
        Step<S> step = calls.call(owner, "step", () -> logic.step(current, input));
        if (step == null) {
            throw new IllegalStateException("step returned null");
        }
        state = step.state();
        return step.intents();
    }
}
