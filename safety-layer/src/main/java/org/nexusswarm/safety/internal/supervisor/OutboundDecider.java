package org.nexusswarm.safety.internal.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.CredentialProblem;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;
import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyDecision;
import org.nexusswarm.safety.internal.policy.PolicyEngine;
import org.nexusswarm.safety.internal.policy.Glob;
import org.nexusswarm.safety.internal.policy.ProvenanceView;
import org.nexusswarm.safety.internal.policy.SequenceView;

/**
 * Decides one outbound intent. Pure: everything it needs is passed in, so tests and the benchmark run the
 * same code the supervisor runs.
 *
 * <p>Evaluation order (the first refusal wins, so a deny anywhere beats an allow anywhere; an intent without an
 * action class is refused before all of them):
 * <ol>
 *   <li>credential scope: issuer signature(s), subject and issuer trust (checked once per start), revocation,
 *       validity window, action class, place;</li>
 *   <li>payload: its type must be declared by the logic for the action class, and the parameters the intent
 *       states must equal those read from the payload ({@link PayloadParameters}); everything below judges the
 *       parameters read from the payload;</li>
 *   <li>credential limits: value caps, fuel budget, credential rate limit;</li>
 *   <li>policy (rail and pack policies, see {@link PolicyEngine}): fail closed without a policy or a rule,
 *       envelopes, places, time windows, rate limits, resource caps, then approval requirements (sequence rules
 *       read the entity's journaled history, {@link #history});</li>
 *   <li>trajectory monitors: on REQUIRE_APPROVAL every action needs the approval that the policy rule for
 *       {@code safety.escalation} names (none: refused). The THROTTLE rung is not decided here: the supervisor's
 *       token bucket holds back what exceeds it before this decision is made.</li>
 * </ol>
 */
final class OutboundDecider {

    /** The action class whose policy rule names who approves actions of an entity under escalation. */
    static final String ESCALATION_ACTION = "safety.escalation";
    /** The action class whose policy rule names who approves releasing an entity from quarantine. */
    static final String RELEASE_ACTION = "safety.release";

    sealed interface Outcome permits Allow, Deny, NeedsApproval {
        String policyVersion();

        double envelopeUse();
    }

    record Allow(String rule, String policyVersion, double envelopeUse) implements Outcome {}

    record Deny(RefusalCode code, String detail, String policyVersion, double envelopeUse) implements Outcome {}

    record NeedsApproval(ApprovalRequirement requirement, String rule, String policyVersion, double envelopeUse)
            implements Outcome {}

    /** Everything about the entity that a decision depends on, at one instant. */
    record Situation(Credential credential, Optional<CredentialProblem> staticCredentialProblem, boolean revoked,
            String place, List<Policy> policies, TrajectoryStats stats, EscalationLevel escalation, long nowMillis) {}

    private OutboundDecider() {}

    static Outcome decide(Intent intent, Situation s) {
        return decide(intent, Optional.empty(), s, ProvenanceView.NONE);
    }

    /** The decision on an intent whose cause chain {@code provenance} answers for ({@code require-provenance}). */
    static Outcome decide(Intent intent, Situation s, ProvenanceView provenance) {
        return decide(intent, Optional.empty(), s, provenance);
    }

    /** {@link #decide(Intent, Optional, Situation, ProvenanceView)} without a cause chain. */
    static Outcome decide(Intent intent, Optional<PayloadParameters.Refusal> payloadRefusal, Situation s) {
        return decide(intent, payloadRefusal, s, ProvenanceView.NONE);
    }

    /**
     * Decides {@code intent}, whose parameters were read from its payload, or which the payload check refused
     * ({@code payloadRefusal}): that refusal comes right after the credential's scope (who may do what, where), so
     * an action outside the credential is still reported as such, and before anything reads the parameters. Its
     * cause chain {@code provenance} answers for {@code require-provenance} rules.
     */
    static Outcome decide(Intent intent, Optional<PayloadParameters.Refusal> payloadRefusal, Situation s,
            ProvenanceView provenance) {
        String versions = PolicyEngine.versions(s.policies());
        if (intent.actionClass() == null || intent.actionClass().isBlank()) {
            // Refused before anything else reads it: an action request cannot even be built without one.
            return new Deny(RefusalCode.NOT_IN_CREDENTIAL, "intent " + intent.intentId() + " names no action class",
                    versions, 0.0);
        }
        ActionRequest request = new ActionRequest(intent.actionClass(), String.valueOf(intent.target()), s.place(),
                intent.parameters(), Instant.ofEpochMilli(s.nowMillis()));
        // Below an envelope's lower bound the use is negative; the monitors take fractions >= 0 only.
        double use = Math.max(0.0, PolicyEngine.largestFiniteEnvelopeUse(s.policies(), request));
        Optional<Deny> scope = credentialScope(intent, s, versions, use);
        if (scope.isPresent()) {
            return scope.get();
        }
        if (payloadRefusal.isPresent()) {
            return new Deny(payloadRefusal.get().code(), payloadRefusal.get().detail(), versions, 0.0);
        }
        Optional<Deny> credential = credentialLimits(intent, s, versions, use);
        if (credential.isPresent()) {
            return credential.get();
        }
        // THROTTLE is enforced before this point, by the supervisor's token bucket: what passes it is decided as usual.
        PolicyDecision decision = PolicyEngine.evaluate(s.policies(), request,
                (actionClass, window) -> s.stats().count(actionClass, window, s.nowMillis()), history(s.stats()),
                provenance);
        if (decision instanceof PolicyDecision.Deny d) {
            return new Deny(d.code(), d.detail() + " (rule " + d.ruleId() + ")", versions, use);
        }
        if (decision instanceof PolicyDecision.NeedsApproval a) {
            return new NeedsApproval(a.requirement(), a.ruleId(), versions, use);
        }
        PolicyDecision.Allow allow = (PolicyDecision.Allow) decision;
        if (s.escalation() == EscalationLevel.REQUIRE_APPROVAL) {
            return escalationApproval(s, versions, use, allow.ruleId());
        }
        return new Allow(allow.ruleId(), versions, use);
    }

    /**
     * Whether the credential has become unusable, whatever the action: a problem found at start, revocation, or
     * the validity window. Also checked when an approval arrives, since the credential may lapse while approvers
     * decide.
     */
    static Optional<Deny> credentialLapsed(Situation s, String versions, double use) {
        Credential c = s.credential();
        if (s.staticCredentialProblem().isPresent()) {
            CredentialProblem p = s.staticCredentialProblem().get();
            return Optional.of(new Deny(p.code(), p.detail(), versions, use));
        }
        if (s.revoked()) {
            return Optional.of(new Deny(RefusalCode.REVOKED, "credential " + c.id() + " was revoked", versions, use));
        }
        if (s.nowMillis() < c.notBefore()) {
            return Optional.of(new Deny(RefusalCode.NOT_YET_VALID, "credential " + c.id() + " is not valid before "
                    + Instant.ofEpochMilli(c.notBefore()), versions, use));
        }
        if (s.nowMillis() > c.notAfter()) {
            return Optional.of(new Deny(RefusalCode.EXPIRED, "credential " + c.id() + " expired at "
                    + Instant.ofEpochMilli(c.notAfter()), versions, use));
        }
        return Optional.empty();
    }

    private static Optional<Deny> credentialScope(Intent intent, Situation s, String versions, double use) {
        Credential c = s.credential();
        Optional<Deny> lapsed = credentialLapsed(s, versions, use);
        if (lapsed.isPresent()) {
            return lapsed;
        }
        if (intent.target() == null) {
            return Optional.of(new Deny(RefusalCode.NOT_IN_CREDENTIAL, "intent " + intent.intentId()
                    + " names no target", versions, use));
        }
        if (!c.allows(intent.actionClass())) {
            return Optional.of(new Deny(RefusalCode.NOT_IN_CREDENTIAL, "action class '" + intent.actionClass()
                    + "' is not in credential " + c.id() + " (allowed: " + c.allowedActions() + ")", versions, use));
        }
        if (!c.allowsPlace(s.place())) {
            return Optional.of(new Deny(RefusalCode.NOT_IN_CREDENTIAL, "place " + s.place() + " is not in credential "
                    + c.id() + " (places: " + c.places() + ")", versions, use));
        }
        return Optional.empty();
    }

    private static Optional<Deny> credentialLimits(Intent intent, Situation s, String versions, double use) {
        Credential c = s.credential();
        Optional<String> cap = c.capProblem(intent.parameters());
        if (cap.isPresent()) {
            return Optional.of(new Deny(RefusalCode.NOT_IN_CREDENTIAL, cap.get(), versions, use));
        }
        long fuel = c.limits().fuelBudget();
        Double asked = intent.parameters().get("fuel");
        if (fuel > 0 && asked != null && !(asked <= fuel)) {
            return Optional.of(new Deny(RefusalCode.NOT_IN_CREDENTIAL, "fuel " + asked + " exceeds the budget of "
                    + fuel + " in credential " + c.id(), versions, use));
        }
        long perMinute = c.limits().ratePerMinute();
        if (perMinute > 0 && s.stats().count(intent.actionClass(), Duration.ofMinutes(1), s.nowMillis()) >= perMinute) {
            return Optional.of(new Deny(RefusalCode.RATE_LIMITED, "credential " + c.id() + " allows " + perMinute
                    + " '" + intent.actionClass() + "' per minute", versions, use));
        }
        return Optional.empty();
    }

    private static Outcome escalationApproval(Situation s, String versions, double use, String rule) {
        return approvalFor(ESCALATION_ACTION, s)
                .<Outcome>map(req -> new NeedsApproval(req, rule + " + " + ESCALATION_ACTION, versions, use))
                .orElseGet(() -> new Deny(RefusalCode.THROTTLED, "trajectory monitors require approval, but no "
                        + "policy rule for '" + ESCALATION_ACTION + "' names approvers", versions, use));
    }

    /** The approval a policy demands for an administrative action class such as {@value #RELEASE_ACTION}. */
    static Optional<ApprovalRequirement> approvalFor(String actionClass, Situation s) {
        ActionRequest request = new ActionRequest(actionClass, "self", s.place(), java.util.Map.of(),
                Instant.ofEpochMilli(s.nowMillis()));
        PolicyDecision d = PolicyEngine.evaluate(s.policies(), request, (a, w) -> 0);
        return d instanceof PolicyDecision.NeedsApproval a ? Optional.of(a.requirement()) : Optional.empty();
    }

    /**
     * What sequence rules read: the newest journaled time an inbound payload type matching a glob was observed, or
     * an action class matching a glob was allowed, from the statistics in the entity's state.
     */
    static SequenceView history(TrajectoryStats stats) {
        return new SequenceView() {
            @Override
            public java.util.OptionalLong lastObserved(String glob, long atMillis) {
                return last(TrajectoryStats.SEEN_INBOUND, glob, atMillis);
            }

            @Override
            public java.util.OptionalLong lastPerformed(String glob, long atMillis) {
                return last(TrajectoryStats.SEEN_PERFORMED, glob, atMillis);
            }

            private java.util.OptionalLong last(String prefix, String glob, long atMillis) {
                long newest = Long.MIN_VALUE;
                for (TrajectoryStats.Seen seen : stats.seen()) {
                    if (seen.atMillis() <= atMillis && seen.atMillis() > newest && seen.key().startsWith(prefix)
                            && Glob.matches(glob, seen.key().substring(prefix.length()))) {
                        newest = seen.atMillis();
                    }
                }
                return newest == Long.MIN_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(newest);
            }
        };
    }

    /** The thresholds of the first policy that sets monitors, else the defaults. */
    static MonitorThresholds thresholds(List<Policy> policies) {
        return policies.stream().map(Policy::monitors).filter(java.util.Objects::nonNull).findFirst()
                .orElse(MonitorThresholds.defaults());
    }

    /**
     * {@link #thresholds(List)} with a window no longer than {@code retention}, what {@code stats} can assess
     * (a longer window would make every assessment throw, and the supervisor with it).
     */
    static MonitorThresholds thresholds(List<Policy> policies, TrajectoryStats stats) {
        MonitorThresholds t = thresholds(policies);
        Duration retention = Duration.ofMillis(stats.retentionMillis());
        return t.window().compareTo(retention) <= 0 ? t : t.withWindow(retention);
    }
}
