package org.nexusswarm.safety.api.approval;

import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * An approval request's decision (approved, rejected, or timed out), journaled by the request. It is not an
 * entity command: it reaches the supervisor only inside an {@link ApprovalProof}, whose votes the supervisor
 * verifies, so a forged decision cannot be injected through sharding.
 *
 * @param approvalId the request id the supervisor chose when it asked
 * @param approved   true when k approving votes arrived in time
 * @param reason     readable outcome, e.g. "3 of 6 approved" or "timed out after 5m"
 * @param voters     DIDs whose votes counted
 */
public record ApprovalDecided(String approvalId, boolean approved, String reason, List<String> voters)
        implements SwarmMessage {

    public ApprovalDecided {
        voters = List.copyOf(voters);
    }
}
