package org.nexusswarm.safety.approval;

import java.util.List;
import org.nexusswarm.actors.protocol.EntityCommand;

/**
 * Sent by an approval request to the supervisor of the entity that asked, once the request is decided
 * (approved, rejected, or timed out). The supervisor journals the outcome and only then acts on it.
 *
 * @param approvalId the request id the supervisor chose when it asked
 * @param approved   true when k approving votes arrived in time
 * @param reason     readable outcome, e.g. "3 of 6 approved" or "timed out after 5m"
 * @param voters     DIDs whose votes counted
 */
public record ApprovalDecided(String approvalId, boolean approved, String reason, List<String> voters)
        implements EntityCommand {

    public ApprovalDecided {
        voters = List.copyOf(voters);
    }
}
