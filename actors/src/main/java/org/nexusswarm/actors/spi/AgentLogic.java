package org.nexusswarm.actors.spi;

import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The API an AI team implements: the logic of one agent, delegator, orchestrator or node, as a pure,
 * deterministic step function {@code (state, input) -> (new state, intents)}.
 *
 * <p>The safety supervisor owns the state and calls {@link #step} once per input, with a time and size budget.
 * The logic is handed no actor, system, clock, randomness, thread, file or socket: time reaches it only as the
 * journaled time of each {@link AgentInput}, so a replay feeds the same values and gets the same intents. It acts
 * only through the {@link Intent}s it returns, which the supervisor decides. State should be immutable (records,
 * {@code List.copyOf}), so a step cannot corrupt the state it was given.
 *
 * @param <S> the logic's state
 */
public interface AgentLogic<S> {

    /** A version string recorded in the journal so replays know which logic made a decision. */
    String version();

    /** The state before the first input; called again whenever the logic is (re)started. */
    S init(AgentContext context);

    /** One step: the new state and the intents to propose. Must not block, must not keep references. */
    Step<S> step(S state, AgentInput input);

    /**
     * The inbound payload types this logic declares it handles; empty means any. The supervisor refuses an
     * authenticated message of any other type ({@code INPUT_NOT_DECLARED}, journaled) before the logic sees it, and
     * refuses everything if this method throws. Called once per start.
     */
    default Set<Class<? extends SwarmMessage>> accepts() {
        return Set.of();
    }

    /**
     * The outbound payload types this logic sends: for each, the action classes it may be sent under and the
     * record components that are its policy parameters. The supervisor denies an intent whose payload type is
     * not declared here (or not for the intent's action class), and one whose stated {@link Intent#parameters}
     * disagree with the values read from its payload. A logic that declares nothing can send only intents
     * without a payload (fail closed: the supervisor cannot know what an undeclared payload means).
     */
    default java.util.List<PayloadSchema> payloads() {
        return java.util.List.of();
    }
}
