package org.nexusswarm.safety.api.policy;

import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;

/**
 * The policy engine's verdict on one {@link ActionRequest}. Every verdict carries the versions of the
 * policies it was made under ({@code rail:drought-watch@3,pack:climate@1}, or {@code none}) and the deciding
 * rule(s) ({@code rail:drought-watch/compute-request}, comma-separated when several policies took part;
 * empty when no rule decided), which the supervisor records in its decision event.
 */
public sealed interface PolicyDecision {

    String policyVersions();

    String ruleId();

    /** Every applicable policy allows the action without approval. */
    record Allow(String policyVersions, String ruleId) implements PolicyDecision {}

    /** A policy forbids the action; {@code detail} says which constraint and why. */
    record Deny(RefusalCode code, String detail, String policyVersions, String ruleId) implements PolicyDecision {}

    /** The action is allowed once {@code requirement} is met (the strictest among the applicable rules). */
    record NeedsApproval(ApprovalRequirement requirement, String policyVersions, String ruleId)
            implements PolicyDecision {}
}
