package org.nexusswarm.actors.spi;

import java.util.List;
import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;

/**
 * What a logic declares about one outbound payload type: the action classes it may be sent under, and which of
 * its record components are the policy parameters. The supervisor reads those components from the payload it
 * will actually send (numbers as doubles; a null boxed number is absent) and evaluates policy on them, not on
 * the parameters an {@link Intent} states: a payload that says 5000 MW is judged as 5000 MW.
 *
 * @param type          the exact payload class (a record when {@code parameters} is not empty)
 * @param actionClasses the action classes an intent carrying this type may name (exact names)
 * @param parameters    the names of the numeric record components that are policy parameters
 */
public record PayloadSchema(Class<? extends SwarmMessage> type, Set<String> actionClasses, List<String> parameters) {

    public PayloadSchema {
        if (type == null) {
            throw new IllegalArgumentException("a payload schema names its type");
        }
        actionClasses = actionClasses == null ? Set.of() : Set.copyOf(actionClasses);
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** {@code type}, sent under {@code actionClass} only, with the named parameter components. */
    public static PayloadSchema of(Class<? extends SwarmMessage> type, String actionClass, String... parameters) {
        return new PayloadSchema(type, Set.of(actionClass), List.of(parameters));
    }
}
