package org.nexusswarm.safety.api.approval;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.approval.PendingApprovals;

/** The approvals of a cluster, as the edges read them (votes go through the signed operator commands). */
public final class Approvals {

    /** The longest approval id. */
    public static final int MAX_ID_CHARS = ApprovalRequest.MAX_ID_CHARS;
    /** The longest comment a vote may carry. */
    public static final int MAX_COMMENT_CHARS = ApprovalRequest.MAX_COMMENT_CHARS;

    private Approvals() {}

    /** Whether {@code id} is a well-formed approval id (checked before anything is asked). */
    public static boolean isValidId(String id) {
        return ApprovalRequest.isValidId(id);
    }

    /** The approvals still waiting for a decision, as this node knows them. */
    public static CompletionStage<List<ApprovalView>> pending(ActorSystem<?> system) {
        return PendingApprovals.get(system).pending();
    }

    /** One approval request as its journaled entity sees it. */
    public static CompletionStage<ApprovalView> view(ActorSystem<?> system, String id, Duration timeout) {
        return ApprovalRequest.entityRef(system, id).ask(ApprovalRequest.Get::new, timeout);
    }
}
