package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyDecision;
import org.nexusswarm.safety.api.policy.PolicyRule;
import org.nexusswarm.safety.api.policy.RateView;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.policy.PolicyDecision.Allow;
import org.nexusswarm.safety.api.policy.PolicyDecision.Deny;
import org.nexusswarm.safety.api.policy.PolicyDecision.NeedsApproval;
import org.nexusswarm.safety.api.policy.PolicyRule.Envelope;

/**
 * Decides one {@link ActionRequest} against the policies that apply to the acting entity (its rail's and its
 * pack's). Pure and allocation-light: no I/O, no clock (the request carries its time), rates come from the
 * caller's {@link RateView}.
 *
 * <h2>Evaluation order</h2>
 * <ol>
 *   <li><b>Fail closed.</b> No applicable policy → {@code Deny(POLICY_MISSING)}. (A text that does not parse
 *       is never loaded, so it counts as missing.)</li>
 *   <li><b>Order the policies</b>: rail policies first, then pack policies, each by scope name. This order
 *       is the {@code policyVersions} text ({@code rail:drought-watch@3,pack:climate@1}).</li>
 *   <li><b>Evaluate every policy</b>, none short-circuits the others:
 *     <ol type="a">
 *       <li>a matching {@code deny = true} rule forbids the action (whatever allow rules say, in this or any
 *           other policy);</li>
 *       <li>otherwise the policy must have an allow rule matching the action class, else the action is
 *           denied {@code NO_RULE} — every applicable policy must allow it (a pack policy that means to
 *           leave actions to the rail writes an explicit catch-all rule {@code action = "*"});</li>
 *       <li>of the matching allow rules, only the most specific apply ({@link Glob#specificity}: the exact
 *           name, else the glob with the most literal characters; ties all apply); each checks, in order,
 *           place, time windows, parameter envelopes, resource caps, rate limit, and (with
 *           {@code require-provenance}) that every entity within its hops of the intent's cause chain holds the
 *           action class ({@link ProvenanceView}).</li>
 *     </ol></li>
 *   <li><b>Deny wins.</b> If any check failed, the decision is a {@code Deny}; when several failed, the
 *       reported one is the first by kind — explicit deny ({@code NO_RULE}, "forbidden outright"), missing
 *       rule ({@code NO_RULE}), {@code PROVENANCE}, {@code WRONG_PLACE}, {@code OUTSIDE_TIME_WINDOW}, {@code OUT_OF_ENVELOPE},
 *       {@code RESOURCE_CAP}, {@code RATE_LIMITED} — then by policy order; its detail counts the others.</li>
 *   <li><b>Approval.</b> Otherwise, if any applying rule requires approval, the decision is
 *       {@code NeedsApproval} with the strictest requirement: the largest k, then a quorum over a co-sign,
 *       then the earlier policy.</li>
 *   <li>Otherwise {@code Allow}.</li>
 * </ol>
 *
 * <p>A bounded parameter or capped resource that the request does not carry (or carries as NaN/infinity) is
 * out of its envelope: the engine cannot check what it is not told. Rate limits count the entity's own
 * actions (the supervisor's state), so they are per entity, not per rail.
 */
public final class PolicyEngine {

    /** The kinds of failed checks, in the order that decides which denial is reported. */
    private enum Check { FORBIDDEN, NO_RULE, PROVENANCE, PLACE, TIME, ENVELOPE, RESOURCE, RATE }

    private record Violation(Check check, int policy, RefusalCode code, String detail, String rule) {}

    private record Candidate(ApprovalRequirement requirement, int policy, String rule) {}

    private static final Comparator<Policy> ORDER = Comparator
            .comparingInt((Policy p) -> Policy.RAIL.equals(p.scopeKind()) ? 0 : 1)
            .thenComparing(Policy::scope);

    private PolicyEngine() {}

    /**
     * The decision on {@code request} under {@code applicable} (the entity's rail and pack policies; empty
     * when none is loaded), using {@code rates} for rate limits.
     */
    public static PolicyDecision evaluate(List<Policy> applicable, ActionRequest request, RateView rates) {
        return evaluate(applicable, request, rates, SequenceView.UNKNOWN, ProvenanceView.NONE);
    }

    /**
     * The same, with the entity's history for sequence rules: a rule with {@code after} requires its approval only
     * when {@code history} shows a trigger within the rule's window before the request ({@link SequenceView#UNKNOWN}:
     * always).
     */
    public static PolicyDecision evaluate(List<Policy> applicable, ActionRequest request, RateView rates,
            SequenceView history) {
        return evaluate(applicable, request, rates, history, ProvenanceView.NONE);
    }

    /**
     * The same, for an intent whose cause chain {@code provenance} answers for: an applying rule with
     * {@code require-provenance} denies ({@code PROVENANCE}) when an entity within its hops lacks the action class.
     */
    public static PolicyDecision evaluate(List<Policy> applicable, ActionRequest request, RateView rates,
            ProvenanceView provenance) {
        return evaluate(applicable, request, rates, SequenceView.UNKNOWN, provenance);
    }

    /** The same, with both the entity's history (sequence rules) and the intent's cause chain (provenance rules). */
    public static PolicyDecision evaluate(List<Policy> applicable, ActionRequest request, RateView rates,
            SequenceView history, ProvenanceView provenance) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(rates, "rates");
        Objects.requireNonNull(history, "history");
        if (applicable == null || applicable.isEmpty()) {
            return new Deny(RefusalCode.POLICY_MISSING, "no policy is loaded for this entity's rail or pack; "
                    + "nothing is allowed until an operator pushes one", "none", "");
        }
        Ordering ordering = ordering(applicable);
        List<Policy> ordered = ordering.ordered();
        String versions = ordering.versions();
        List<Violation> violations = new ArrayList<>();
        List<Candidate> approvals = new ArrayList<>();
        List<String> deciding = new ArrayList<>();
        for (int p = 0; p < ordered.size(); p++) {
            Policy policy = ordered.get(p);
            PolicyRule deny = firstDeny(policy, request.actionClass());
            if (deny != null) {
                String ref = ref(policy, deny);
                violations.add(new Violation(Check.FORBIDDEN, p, RefusalCode.NO_RULE, "'" + request.actionClass()
                        + "' is forbidden outright by deny rule " + ref, ref));
                continue;
            }
            List<PolicyRule> rules = applying(policy, request.actionClass());
            if (rules.isEmpty()) {
                violations.add(new Violation(Check.NO_RULE, p, RefusalCode.NO_RULE, "policy "
                        + policy.versionTag() + " has no rule for '" + request.actionClass() + "'", ""));
                continue;
            }
            int index = p;
            for (PolicyRule rule : rules) {
                String ref = ref(policy, rule);
                deciding.add(ref);
                check(rule, ref, p, request, rates, violations);
                if (rule.provenanceHops() > 0) {
                    provenance.lacking(request.actionClass(), rule.provenanceHops(), rule.provenanceSinceStart())
                            .ifPresent(d -> violations.add(
                            new Violation(Check.PROVENANCE, index, RefusalCode.PROVENANCE, d, ref)));
                }
                if (rule.approval().isPresent()) {
                    Optional<String> trigger = triggered(rule, request, history);
                    if (trigger.isPresent()) {
                        approvals.add(new Candidate(rule.approval().get(), index,
                                trigger.get().isEmpty() ? ref : ref + " (" + trigger.get() + ")"));
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(Violation::check).thenComparingInt(Violation::policy));
            Violation first = violations.get(0);
            String more = violations.size() == 1 ? "" : " (and " + (violations.size() - 1) + " more: "
                    + violations.stream().skip(1).map(v -> v.code().name()).distinct()
                            .collect(Collectors.joining(", ")) + ")";
            return new Deny(first.code(), first.detail() + more, versions, first.rule());
        }
        if (!approvals.isEmpty()) {
            Candidate strictest = approvals.stream()
                    .sorted(Comparator.comparingInt((Candidate c) -> -c.requirement().k())
                            .thenComparingInt(c -> c.requirement().kind() == ApprovalRequirement.Kind.QUORUM ? 0 : 1)
                            .thenComparingInt(Candidate::policy))
                    .findFirst().orElseThrow();
            return new NeedsApproval(strictest.requirement(), versions, strictest.rule());
        }
        return new Allow(versions, String.join(",", deciding));
    }

    /**
     * How much of each bounded parameter's envelope (and each capped resource) the request uses, by
     * parameter name: 0 at the lower bound (or 0), 1 at the upper bound, above 1 outside; the largest over all
     * applying rules. Parameters the request does not carry, or envelopes without an upper bound, are left
     * out. Feeds the envelope-drift monitor.
     */
    public static Map<String, Double> envelopeUse(List<Policy> applicable, ActionRequest request) {
        Map<String, Double> use = new HashMap<>();
        if (applicable == null) {
            return Map.of();
        }
        for (Policy policy : applicable) {
            for (PolicyRule rule : applying(policy, request.actionClass())) {
                rule.parameters().forEach((name, envelope) -> {
                    Double value = request.parameters().get(name);
                    if (value != null) {
                        record(use, name, envelope.use(value));
                    }
                });
                rule.resourceCaps().forEach((name, cap) -> {
                    Double value = request.parameters().get(name);
                    if (value != null) {
                        record(use, name, cap > 0 ? value / cap : (value <= 0 ? 0.0 : Double.POSITIVE_INFINITY));
                    }
                });
            }
        }
        return Map.copyOf(use);
    }

    /** {@code rail:drought-watch@3,pack:climate@1} for these policies in evaluation order; {@code none} if empty. */
    public static String versions(List<Policy> applicable) {
        if (applicable == null || applicable.isEmpty()) {
            return "none";
        }
        return ordering(applicable).versions();
    }

    private static void record(Map<String, Double> use, String name, double fraction) {
        if (!Double.isNaN(fraction)) {
            use.merge(name, fraction, Math::max);
        }
    }

    /**
     * The evaluation order of some policies and its version text, remembered for the policy sets decided most
     * recently: an entity's policies change rarely, but every intent needs both. Keyed by the policies' identity
     * (policies are immutable records), so a changed set simply misses and is sorted again.
     */
    private record Ordering(Policy[] given, List<Policy> ordered, String versions) {
        private static final Ordering[] TABLE = new Ordering[16];

        boolean sameAs(List<Policy> applicable) {
            if (given.length != applicable.size()) {
                return false;
            }
            for (int i = 0; i < given.length; i++) {
                if (given[i] != applicable.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Ordering ordering(List<Policy> applicable) {
        int slot = System.identityHashCode(applicable.get(0)) & (Ordering.TABLE.length - 1);
        Ordering cached = Ordering.TABLE[slot];
        if (cached != null && cached.sameAs(applicable)) {
            return cached;
        }
        Policy[] given = applicable.toArray(new Policy[0]);
        List<Policy> ordered = new ArrayList<>(applicable);
        ordered.sort(ORDER);
        Ordering o = new Ordering(given, List.copyOf(ordered),
                ordered.stream().map(Policy::versionTag).collect(Collectors.joining(",")));
        // Final fields only: a plain store publishes it safely; a lost race only costs another sort.
        Ordering.TABLE[slot] = o;
        return o;
    }

    // The three helpers below are loops rather than streams: they run for every decided intent, and a stream
    // pipeline per call was a measurable share of the supervisor's per-message cost.

    /** The first deny rule of {@code policy} matching {@code actionClass}, or null. */
    private static PolicyRule firstDeny(Policy policy, String actionClass) {
        for (PolicyRule r : policy.rules()) {
            if (r.deny() && r.matches(actionClass)) {
                return r;
            }
        }
        return null;
    }

    private static boolean anyGlobMatches(java.util.Collection<String> globs, String place) {
        for (String g : globs) {
            if (Glob.matches(g, place)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyWindowContains(PolicyRule rule, ActionRequest request) {
        for (var w : rule.timeWindows()) {
            if (w.contains(request.at())) {
                return true;
            }
        }
        return false;
    }

    /** The most specific allow rules of {@code policy} matching {@code actionClass} (empty if none). */
    private static List<PolicyRule> applying(Policy policy, String actionClass) {
        int best = -1;
        List<PolicyRule> rules = new ArrayList<>(1);
        for (PolicyRule rule : policy.rules()) {
            if (rule.deny() || !rule.matches(actionClass)) {
                continue;
            }
            int s = rule.specificity();
            if (s > best) {
                best = s;
                rules.clear();
            }
            if (s == best) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private static void check(PolicyRule rule, String ref, int p, ActionRequest request, RateView rates,
            List<Violation> out) {
        if (!rule.places().isEmpty()) {
            String place = request.place();
            boolean ok = place != null && !place.isBlank() && anyGlobMatches(rule.places(), place);
            if (!ok) {
                out.add(new Violation(Check.PLACE, p, RefusalCode.WRONG_PLACE, "place '" + place
                        + "' is not allowed by rule " + ref + " (allowed: " + rule.places() + ")", ref));
            }
        }
        if (!rule.timeWindows().isEmpty() && !anyWindowContains(rule, request)) {
            out.add(new Violation(Check.TIME, p, RefusalCode.OUTSIDE_TIME_WINDOW, request.at()
                    + " is outside the time windows of rule " + ref + " " + rule.timeWindows(), ref));
        }
        byKey(rule.parameters()).forEach(e -> {
            Envelope envelope = e.getValue();
            Double value = request.parameters().get(e.getKey());
            if (value == null) {
                out.add(new Violation(Check.ENVELOPE, p, RefusalCode.OUT_OF_ENVELOPE, "parameter '" + e.getKey()
                        + "' is bounded by rule " + ref + " (" + envelope + ") but the request does not carry it", ref));
            } else if (!envelope.contains(value)) {
                out.add(new Violation(Check.ENVELOPE, p, RefusalCode.OUT_OF_ENVELOPE, e.getKey() + " = "
                        + PolicyRule.fmt(value) + " is outside the envelope " + envelope + " of rule " + ref, ref));
            }
        });
        byKey(rule.resourceCaps()).forEach(e -> {
            Double value = request.parameters().get(e.getKey());
            if (value == null || !Double.isFinite(value)) {
                out.add(new Violation(Check.RESOURCE, p, RefusalCode.RESOURCE_CAP, "resource '" + e.getKey()
                        + "' is capped by rule " + ref + " (<= " + PolicyRule.fmt(e.getValue())
                        + ") but the request does not declare it", ref));
            } else if (value > e.getValue()) {
                out.add(new Violation(Check.RESOURCE, p, RefusalCode.RESOURCE_CAP, e.getKey() + " = "
                        + PolicyRule.fmt(value) + " exceeds the cap " + PolicyRule.fmt(e.getValue()) + " of rule " + ref, ref));
            }
        });
        rule.rateLimit().ifPresent(limit -> {
            long count;
            try {
                count = rates.count(rule.action(), limit.per());
            } catch (RuntimeException ex) {
                out.add(new Violation(Check.RATE, p, RefusalCode.RATE_LIMITED, "the rate of '" + rule.action()
                        + "' could not be read (" + ex.getMessage() + "); rule " + ref + " limits it", ref));
                return;
            }
            if (count >= limit.max()) {
                out.add(new Violation(Check.RATE, p, RefusalCode.RATE_LIMITED, count + " '" + rule.action()
                        + "' actions already in the last " + limit.per().toString().substring(2).toLowerCase()
                        + "; rule " + ref + " allows " + limit, ref));
            }
        });
    }

    /**
     * Whether {@code rule}'s approval applies to {@code request}: always ("") without a sequence; with one, the
     * trigger found in the window (empty when none, so no approval), or "sequence history unknown" without history.
     */
    private static Optional<String> triggered(PolicyRule rule, ActionRequest request, SequenceView history) {
        if (rule.after().isEmpty()) {
            return Optional.of("");
        }
        if (!history.known()) {
            return Optional.of("sequence history unknown");
        }
        return rule.after().get().triggeredBy(history, request.at().toEpochMilli());
    }

    /** The entries of {@code map} by key (no sorting needed for zero or one entry, the common case). */
    private static <V> Iterable<Map.Entry<String, V>> byKey(Map<String, V> map) {
        if (map.size() <= 1) {
            return map.entrySet();
        }
        List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    /**
     * The largest finite envelope use of {@link #envelopeUse} (0 when there is none): the same value the map's
     * finite entries give, without building the map. Feeds the envelope-drift monitor on every decision.
     */
    public static double largestFiniteEnvelopeUse(List<Policy> applicable, ActionRequest request) {
        if (applicable == null) {
            return 0.0;
        }
        // Per parameter the largest fraction (NaN ignored), as envelopeUse keeps it; then the largest finite one.
        String[] names = new String[4];
        double[] values = new double[4];
        int n = 0;
        for (Policy policy : applicable) {
            for (PolicyRule rule : applying(policy, request.actionClass())) {
                for (Map.Entry<String, Envelope> e : rule.parameters().entrySet()) {
                    Double value = request.parameters().get(e.getKey());
                    if (value != null) {
                        double f = e.getValue().use(value);
                        if (!Double.isNaN(f)) {
                            int i = indexOf(names, n, e.getKey());
                            if (i < 0) {
                                if (n == names.length) {
                                    names = java.util.Arrays.copyOf(names, n * 2);
                                    values = java.util.Arrays.copyOf(values, n * 2);
                                }
                                names[n] = e.getKey();
                                values[n++] = f;
                            } else {
                                values[i] = Math.max(values[i], f);
                            }
                        }
                    }
                }
                for (Map.Entry<String, Double> e : rule.resourceCaps().entrySet()) {
                    Double value = request.parameters().get(e.getKey());
                    if (value != null) {
                        double cap = e.getValue();
                        double f = cap > 0 ? value / cap : (value <= 0 ? 0.0 : Double.POSITIVE_INFINITY);
                        if (!Double.isNaN(f)) {
                            int i = indexOf(names, n, e.getKey());
                            if (i < 0) {
                                if (n == names.length) {
                                    names = java.util.Arrays.copyOf(names, n * 2);
                                    values = java.util.Arrays.copyOf(values, n * 2);
                                }
                                names[n] = e.getKey();
                                values[n++] = f;
                            } else {
                                values[i] = Math.max(values[i], f);
                            }
                        }
                    }
                }
            }
        }
        double largest = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(values[i])) {
                largest = any ? Math.max(largest, values[i]) : values[i];
                any = true;
            }
        }
        return any ? largest : 0.0;
    }

    private static int indexOf(String[] names, int n, String name) {
        for (int i = 0; i < n; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String ref(Policy policy, PolicyRule rule) {
        return policy.scope() + "/" + rule.id();
    }
}
