package org.nexusswarm.actors.spi;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * What a supervisor hands to its logic's step. {@code atMillis} is the journaled (chronotope) time of the event
 * that produced the input, the only time a logic ever sees, so a replay feeds the same value.
 */
public sealed interface AgentInput extends SwarmMessage permits AgentInput.Inbound, AgentInput.Outcome {

    /** The journaled time of this input, in epoch milliseconds. */
    long atMillis();

    /** An authenticated message from another entity or principal, already journaled as Observed. */
    record Inbound(String from, SwarmMessage payload, long atMillis) implements AgentInput {
        /** The sender as an entity address, when the sender is an entity (not e.g. a signal feed). */
        public java.util.Optional<EntityAddress> fromEntity() {
            try {
                return java.util.Optional.of(EntityAddress.parse(from));
            } catch (IllegalArgumentException e) {
                return java.util.Optional.empty();
            }
        }
    }

    /** The supervisor's journaled decision on one of the logic's intents. */
    record Outcome(String intentId, boolean allowed, String reason, long atMillis) implements AgentInput {}
}
