package org.nexusswarm.safety.api.approval;

import java.util.List;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * What an approval request looks like from outside: the answer to {@code Get}, to an accepted vote, and an entry
 * of the pending index.
 *
 * <p>An id nobody opened has a view with {@link Status#UNKNOWN} (no requester, no requirement). {@code decision}
 * is null while the request is pending.
 *
 * @param openedAtMillis epoch millis when the request was opened
 * @param deadlineMillis epoch millis after which it is rejected as timed out
 * @param approvedBy     DIDs that approved, in vote order
 * @param rejectedBy     DIDs that denied, in vote order
 */
public record ApprovalView(String approvalId, EntityAddress requester, String intentId, String actionClass,
        String summary, ApprovalRequirement requirement, long openedAtMillis, long deadlineMillis,
        List<String> approvedBy, List<String> rejectedBy, ApprovalDecided decision) implements VoteReply {

    public enum Status { UNKNOWN, PENDING, APPROVED, REJECTED }

    public ApprovalView {
        approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
        rejectedBy = rejectedBy == null ? List.of() : List.copyOf(rejectedBy);
    }

    /** The view of an id under which no request was opened. */
    public static ApprovalView unknown(String approvalId) {
        return new ApprovalView(approvalId, null, "", "", "", null, 0, 0, List.of(), List.of(), null);
    }

    /** Derived, so it is never out of step with the fields (and costs no serialized field). */
    public Status status() {
        if (requirement == null) {
            return Status.UNKNOWN;
        }
        if (decision == null) {
            return Status.PENDING;
        }
        return decision.approved() ? Status.APPROVED : Status.REJECTED;
    }
}
