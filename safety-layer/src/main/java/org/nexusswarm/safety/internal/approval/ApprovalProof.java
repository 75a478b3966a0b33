package org.nexusswarm.safety.internal.approval;

import org.nexusswarm.safety.api.approval.Vote;

import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.TokenVote;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.nexusswarm.actors.protocol.EntityCommand;

/**
 * The only form in which an approval outcome reaches a supervisor through sharding: the decision, the summary the
 * request was opened with (it names the payload digest, so a decision for another payload does not match), and the
 * approvers' signed votes that carry it.
 *
 * <p>Anyone who can reach sharding can send one, so the supervisor never trusts the {@code decided} flag: it
 * {@linkplain #verify verifies} the votes against the requirement and approval id it journaled itself. An approval
 * needs k valid approving votes from distinct named approvers; a rejection needs more than n - k valid denying votes,
 * or the supervisor's own deadline having passed (a time-out carries no votes).
 *
 * @param decided the approval entity's decision (its reason is shown, never believed)
 * @param summary the summary the approval request was opened with
 * @param votes   the accepted votes, verbatim (re-verifiable)
 */
public record ApprovalProof(ApprovalDecided decided, String summary, List<? extends Vote> votes) implements EntityCommand {

    public ApprovalProof {
        votes = votes == null ? List.of() : List.copyOf(votes);
    }

    /** A decision the votes prove: whether it approves, and the DIDs whose valid votes counted. */
    public record Verified(String approvalId, boolean approved, String reason, List<String> voters)
            implements Result {
        public Verified {
            voters = List.copyOf(voters);
        }
    }

    /**
     * Checks this proof against what the supervisor journaled: the approval id it chose, the requirement in force,
     * the summary it opened the request with (null: not compared) and its deadline ({@code Long.MAX_VALUE}: a
     * rejection needs votes), and that every vote is a signed operator command minted for this swarm
     * ({@code audience}): a vote in the retired signed-bytes format, or one cast in another swarm that trusts the
     * same approver (where the same entity can have a request under the same id), proves nothing here. Returns
     * the verified decision, or the reason it is refused.
     */
    public Result verify(String approvalId, ApprovalRequirement requirement, String expectedSummary,
            long deadlineMillis, long nowMillis, String audience) {
        if (decided == null || !approvalId.equals(decided.approvalId())) {
            return new Forged("the decision names another approval id");
        }
        if (expectedSummary != null && !expectedSummary.equals(summary)) {
            return new Forged("the decision is for another request (payload digest or content differs)");
        }
        Set<String> seen = new HashSet<>();
        List<String> yes = new ArrayList<>();
        List<String> no = new ArrayList<>();
        for (Vote vote : votes) {
            if (vote == null || !approvalId.equals(vote.approvalId()) || vote.approverDid() == null
                    || !requirement.approvers().contains(vote.approverDid()) || !seen.add(vote.approverDid())) {
                return new Forged("a vote is not for this approval, not by a named approver, or repeated");
            }
            if (!(vote instanceof TokenVote token)) {
                return new Forged("a vote of " + vote.approverDid() + " is in the retired signed-bytes format");
            }
            if (!vote.signatureValid()) {
                return new Forged("a vote's signature does not verify for " + vote.approverDid());
            }
            if (!token.isFor(audience)) {
                return new Forged("a vote of " + vote.approverDid() + " was cast for another swarm");
            }
            (vote.approve() ? yes : no).add(vote.approverDid());
        }
        int n = requirement.approvers().size();
        int k = requirement.k();
        List<String> voters = new ArrayList<>(yes);
        voters.addAll(no);
        String reason = decided.reason() == null ? "" : decided.reason();
        if (decided.approved()) {
            return yes.size() >= k ? new Verified(approvalId, true, reason, voters)
                    : new Forged("approved with " + yes.size() + " valid approving votes, " + k + " needed");
        }
        if (no.size() > n - k || nowMillis >= deadlineMillis) {
            return new Verified(approvalId, false, reason, voters);
        }
        return new Forged("rejected with " + no.size() + " valid denying votes before the deadline");
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Result permits Verified, Forged {}

    /** A proof that does not prove what it claims. */
    public record Forged(String problem) implements Result {}

    /** Helper for callers that only want the verified decision. */
    public static Optional<Verified> verified(Result result) {
        return result instanceof Verified v ? Optional.of(v) : Optional.empty();
    }
}
