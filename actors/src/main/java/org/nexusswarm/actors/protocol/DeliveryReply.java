package org.nexusswarm.actors.protocol;

import org.nexusswarm.actors.SwarmMessage;

/** The answer to a {@link Deliver}: accepted (journaled and handed to the logic) or refused with a reason. */
public sealed interface DeliveryReply extends SwarmMessage permits DeliveryReply.Accepted, DeliveryReply.Refused {

    /** The envelope passed authentication and was journaled as event {@code sequence}. */
    record Accepted(String entity, long sequence) implements DeliveryReply {}

    /** The envelope was refused; the refusal itself was journaled as event {@code sequence}. */
    record Refused(String entity, RefusalCode code, String detail, long sequence) implements DeliveryReply {
        @Override
        public String toString() {
            return "refused by " + entity + ": " + code + " - " + detail;
        }
    }
}
