package org.nexusswarm.safety.internal.durable;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;

/**
 * A safety ledger's answer to a write: accepted (journaled now, or already in force) or refused with the name of an
 * {@link OperatorCommandRefused.Code} and why. Accepted is only ever sent after the event is stored.
 */
public record LedgerReply(String refusal, String detail) implements SwarmMessage {

    public static final LedgerReply ACCEPTED = new LedgerReply("", "");

    public LedgerReply {
        refusal = refusal == null ? "" : refusal;
        detail = detail == null ? "" : detail;
    }

    public static LedgerReply refused(OperatorCommandRefused.Code code, String detail) {
        return new LedgerReply(code.name(), detail);
    }

    public boolean accepted() {
        return refusal.isEmpty();
    }

    /** The refusal as the operator edge reports it (an unknown code name, from a newer node, is FORBIDDEN). */
    public OperatorCommandRefused toRefusal() {
        OperatorCommandRefused.Code code;
        try {
            code = OperatorCommandRefused.Code.valueOf(refusal);
        } catch (IllegalArgumentException e) {
            code = OperatorCommandRefused.Code.FORBIDDEN;
        }
        return new OperatorCommandRefused(code, detail);
    }
}
