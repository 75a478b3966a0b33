package org.nexusswarm.actors.spi;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * A child's request to act: send {@code payload} to {@code target} as an action of class
 * {@code actionClass} (e.g. {@code compute.request}, {@code alert.raise}). The supervisor decides.
 *
 * @param intentId chosen by the child; echoed in the {@link LogicInput.IntentOutcome}
 */
public record Intent(String intentId, String actionClass, EntityAddress target, SwarmMessage payload)
        implements SwarmMessage {}
