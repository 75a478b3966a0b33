package org.nexusswarm.actors.spi;

import java.util.List;

/** The result of one step: the logic's new state and the intents it proposes, in order. */
public record Step<S>(S state, List<Intent> intents) {

    public Step {
        intents = intents == null ? List.of() : List.copyOf(intents);
    }

    /** A step that only changes (or keeps) the state. */
    public static <S> Step<S> of(S state) {
        return new Step<>(state, List.of());
    }

    /** A step with intents. */
    public static <S> Step<S> of(S state, Intent... intents) {
        return new Step<>(state, List.of(intents));
    }

    /** A step with a list of intents. */
    public static <S> Step<S> of(S state, List<Intent> intents) {
        return new Step<>(state, intents);
    }
}
