package org.nexusswarm.safety.supervisor;

import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;

/**
 * The decisions a safety supervisor journals, each with its chronotope. Persisted before they take effect.
 * Field names and order are part of the stored format: evolve by adding new event types. Every field is
 * covered by the hash chain: through {@link #details()}, or {@link #canonicalForm()} where too long to show.
 */
public sealed interface SafetyEvent extends EpisodeEvent {

    /** An authenticated envelope was accepted and handed to the logic. */
    record Observed(Chronotope chronotope, String sender, String senderDid, String payloadType, long nonce)
            implements SafetyEvent {
        @Override
        public String details() {
            return payloadType + " from " + sender + " nonce=" + nonce;
        }

        /** The DID is too long for the timeline line but must be covered by the hash chain. */
        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + senderDid;
        }
    }

    /** An inbound envelope was refused; the sender got the same code and detail. */
    record Refused(Chronotope chronotope, String sender, String senderDid, RefusalCode code, String detail)
            implements SafetyEvent {
        @Override
        public String details() {
            return code + " from " + sender + ": " + detail;
        }

        /** The DID is too long for the timeline line but must be covered by the hash chain. */
        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + senderDid;
        }
    }

    /** The logic asked to act. */
    record ActionProposed(Chronotope chronotope, String intentId, String actionClass, String target,
            String payloadType, String logicVersion) implements SafetyEvent {
        @Override
        public String details() {
            return actionClass + " -> " + target + " (" + payloadType + ", intent " + intentId + ", logic "
                    + logicVersion + ")";
        }
    }

    /** The proposed action passed the checks; {@code rule} says which. */
    record ActionAllowed(Chronotope chronotope, String intentId, String actionClass, String target, String rule)
            implements SafetyEvent {
        @Override
        public String details() {
            return actionClass + " -> " + target + " by " + rule + " (intent " + intentId + ")";
        }
    }

    /** The proposed action was refused; {@code denials} counts the entity's denials so far. */
    record ActionDenied(Chronotope chronotope, String intentId, String actionClass, RefusalCode code,
            String detail, int denials) implements SafetyEvent {
        @Override
        public String details() {
            return actionClass + " " + code + ": " + detail + " (intent " + intentId + ", denial " + denials + ")";
        }
    }

    /** The child was stopped and the entity quarantined. */
    record Killed(Chronotope chronotope, String by, String reason) implements SafetyEvent {
        @Override
        public String details() {
            return "by " + by + ": " + reason;
        }
    }
}
