package org.nexusswarm.safety.internal.supervisor;

import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.internal.monitor.Assessment;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;
import org.nexusswarm.safety.api.policy.Policy;

/**
 * The supervisor's own outbound decision code ({@link OutboundDecider}) and monitor reading, for tools that
 * decide recorded intents again, such as the what-if replay ({@code org.nexusswarm.safety.replay}). Public so
 * that such tools never copy the rules and drift from them. Pure: no actors, no clock.
 *
 * <p>Caveat: decisions are made with a credential whose signatures are taken as checked and which is not
 * revoked; a caller that knows otherwise keeps its recorded refusal.
 */
public final class OutboundDecisions {

    /** What the supervisor does with an intent. */
    public enum Kind { ALLOW, DENY, NEEDS_APPROVAL }

    /**
     * One decision. {@code rule} names the allowing rule (ALLOW, NEEDS_APPROVAL); {@code code} and {@code detail}
     * say why it was refused (DENY); {@code requirement} says who must approve (NEEDS_APPROVAL).
     */
    public record Decision(Kind kind, String rule, RefusalCode code, String detail, ApprovalRequirement requirement,
            String policyVersion, double envelopeUse) {}

    private OutboundDecisions() {}

    /** Decides {@code intent} of an entity in {@code place} at {@code nowMillis}, exactly as the supervisor would. */
    public static Decision decide(Intent intent, Credential credential, String place, List<Policy> policies,
            TrajectoryStats stats, EscalationLevel escalation, long nowMillis) {
        return decide(intent, credential, place, policies, stats, escalation, nowMillis,
                org.nexusswarm.safety.internal.policy.ProvenanceView.NONE);
    }

    /** The same, for an intent whose cause chain {@code provenance} answers for ({@code require-provenance}). */
    public static Decision decide(Intent intent, Credential credential, String place, List<Policy> policies,
            TrajectoryStats stats, EscalationLevel escalation, long nowMillis,
            org.nexusswarm.safety.internal.policy.ProvenanceView provenance) {
        OutboundDecider.Situation situation = new OutboundDecider.Situation(credential, Optional.empty(), false, place,
                policies, stats, escalation, nowMillis);
        OutboundDecider.Outcome outcome = OutboundDecider.decide(intent, situation, provenance);
        if (outcome instanceof OutboundDecider.Allow a) {
            return new Decision(Kind.ALLOW, a.rule(), null, "", null, a.policyVersion(), a.envelopeUse());
        }
        if (outcome instanceof OutboundDecider.Deny d) {
            return new Decision(Kind.DENY, "", d.code(), d.detail(), null, d.policyVersion(), d.envelopeUse());
        }
        OutboundDecider.NeedsApproval n = (OutboundDecider.NeedsApproval) outcome;
        return new Decision(Kind.NEEDS_APPROVAL, n.rule(), null, "", n.requirement(), n.policyVersion(),
                n.envelopeUse());
    }

    /**
     * What the supervisor makes of the intents of {@code logic} before deciding them: the intent with the parameters
     * read from its payload (what it journals in {@code ActionProposed}), or unchanged when the payload check
     * refuses it. Replays use it to compare like with like.
     */
    public static java.util.function.UnaryOperator<Intent> asJournaled(org.nexusswarm.actors.spi.AgentLogic<?> logic) {
        PayloadParameters reader = PayloadParameters.of(logic);
        return intent -> reader.check(intent) instanceof PayloadParameters.Read r
                ? new Intent(intent.intentId(), intent.actionClass(), intent.target(), intent.payload(), r.parameters())
                : intent;
    }

    /** An empty trajectory, kept as long as the supervisor keeps its own (the longest rate-limit window). */
    public static TrajectoryStats emptyStats() {
        return TrajectoryStats.empty(SupervisorState.Memory.STATS_RETENTION);
    }

    /** What the trajectory monitors make of {@code stats} under {@code policies}, as the supervisor reads them. */
    public static Assessment assess(TrajectoryStats stats, List<Policy> policies, long nowMillis) {
        return stats.assess(OutboundDecider.thresholds(policies, stats), nowMillis);
    }

    /** The reason the supervisor hands its logic with a refused intent's {@code IntentOutcome}. */
    public static String denialReason(RefusalCode code, String detail) {
        return code + ": " + detail;
    }
}
