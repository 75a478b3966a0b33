package org.nexusswarm.actors.spi;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * A child's request to act: send {@code payload} to {@code target} as an action of class
 * {@code actionClass} (e.g. {@code compute.request}, {@code grid.shed-load}). The supervisor decides.
 *
 * @param intentId   chosen by the child; echoed in the {@link AgentInput.Outcome}
 * @param parameters the action's numeric parameters that policy envelopes bound (e.g. {@code mw -> 40.0})
 */
public record Intent(String intentId, String actionClass, EntityAddress target, SwarmMessage payload,
        java.util.Map<String, Double> parameters) implements SwarmMessage {

    public Intent {
        parameters = parameters == null ? java.util.Map.of() : java.util.Map.copyOf(parameters);
    }

    /** An intent without parameters. */
    public Intent(String intentId, String actionClass, EntityAddress target, SwarmMessage payload) {
        this(intentId, actionClass, target, payload, java.util.Map.of());
    }
}
