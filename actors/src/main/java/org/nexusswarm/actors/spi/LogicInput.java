package org.nexusswarm.actors.spi;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/** What a supervisor hands to its logic child. */
public sealed interface LogicInput extends SwarmMessage permits LogicInput.Inbound, LogicInput.IntentOutcome {

    /** An authenticated message from another entity or principal, already journaled as Observed. */
    record Inbound(String from, SwarmMessage payload) implements LogicInput {
        /** The sender as an entity address, when the sender is an entity (not e.g. a signal feed). */
        public java.util.Optional<EntityAddress> fromEntity() {
            try {
                return java.util.Optional.of(EntityAddress.parse(from));
            } catch (IllegalArgumentException e) {
                return java.util.Optional.empty();
            }
        }
    }

    /** The supervisor's decision on one of the child's intents. */
    record IntentOutcome(String intentId, boolean allowed, String reason) implements LogicInput {}
}
