package org.nexusswarm.safety.api.approval;

import org.nexusswarm.actors.SwarmMessage;

/**
 * The answer to a cast vote: the request's {@link ApprovalView} after the vote was journaled (and tallied), or a
 * typed {@link Refused}. A refused vote changes nothing but is journaled (bounded, see
 * {@link ApprovalRequest.VoteRefused}).
 */
public sealed interface VoteReply extends SwarmMessage permits ApprovalView, VoteReply.Refused {

    /** Why a vote was refused. Stable names: they cross the wire and the operator API as text. */
    enum Code {
        /** The signer is not one of the request's named approvers. */
        NOT_APPROVER,
        /** This approver's vote on this request was already counted. */
        DUPLICATE_VOTER,
        /** The signature does not verify against the approver's DID. */
        FORGED_SIGNATURE,
        /** The signature was seen before, or the nonce is not above the approver's last one. */
        REPLAYED,
        /** The request is already approved or rejected. */
        ALREADY_DECIDED,
        /** No approval request was opened under this id. */
        UNKNOWN_REQUEST,
        /** The vote is malformed: wrong request id, missing fields, non-positive nonce, oversized comment. */
        MALFORMED,
        /** A vote in the retired signed-bytes format ({@link SignedVote}): only signed operator commands count. */
        LEGACY_FORMAT,
        /** The vote's token names no audience or another swarm's. */
        WRONG_AUDIENCE,
        /** The operator-command replay guard did not answer; nothing was counted (cast it again). */
        UNAVAILABLE
    }

    /**
     * A refused vote. The code travels as its stable name (enum ordinals would silently change meaning if the
     * enum were ever reordered); {@link #code()} gives it back typed.
     */
    record Refused(String codeName, String detail) implements VoteReply {

        public static Refused of(Code code, String detail) {
            return new Refused(code.name(), detail);
        }

        public Code code() {
            return Code.valueOf(codeName);
        }
    }
}
