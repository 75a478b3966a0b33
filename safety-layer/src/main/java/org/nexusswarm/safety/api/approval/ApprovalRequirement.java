package org.nexusswarm.safety.api.approval;

import java.time.Duration;
import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * What an action needs before it may take effect: {@code k} approving votes out of the named approvers
 * (a human co-signature is {@code CO_SIGN}, k = 1 of the named humans), within {@code timeout}.
 *
 * @param approvers DIDs of the approvers allowed to vote
 */
public record ApprovalRequirement(Kind kind, int k, List<String> approvers, Duration timeout) implements SwarmMessage {

    public enum Kind { CO_SIGN, QUORUM }

    public ApprovalRequirement {
        approvers = List.copyOf(approvers);
        if (k < 1 || k > approvers.size()) {
            throw new IllegalArgumentException("need 1 <= k <= approvers (" + approvers.size() + "), got " + k);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("approval timeout must be positive");
        }
    }
}
