package org.nexusswarm.safety.api.policy;

import org.nexusswarm.safety.internal.policy.Glob;
import org.nexusswarm.safety.internal.policy.SequenceView;



import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;

/**
 * One rule of a {@link Policy}: what an action class (or a glob of them) may do. Every constraint is
 * optional; a rule with only {@code action} allows that action anywhere, any time, without approval.
 *
 * @param id           the rule's key in the policy file, e.g. {@code shed-load}
 * @param action       an action class or a {@link Glob}, e.g. {@code grid.shed-load}, {@code grid.*}
 * @param deny         forbids the matching actions outright (a deny rule carries no other constraint)
 * @param places       globs of allowed places; empty = any place
 * @param parameters   envelopes on the request's numeric parameters, by parameter name
 * @param timeWindows  the action is allowed inside any of these; empty = any time
 * @param rateLimit    at most {@code max} such actions per {@code per}, counted by the supervisor
 * @param resourceCaps upper bounds on the resources a request declares (e.g. {@code fuel})
 * @param approval     what must be approved before the action takes effect; empty = no approval
 * @param after        when present, {@code approval} is required only if the entity observed or performed one of
 *                     the sequence's triggers within its window before the request (a sequence rule)
 * @param provenanceHops every entity within this many hops of the intent's cause chain must hold the action
 *                     class ({@code require-provenance}); 0 = no such requirement
 * @param provenanceSinceStart the same for the cause chains of every input the logic processed since it started,
 *                     not only the one whose step returned the intent
 */
public record PolicyRule(String id, String action, boolean deny, List<String> places, Map<String, Envelope> parameters,
        List<TimeWindow> timeWindows, Optional<RateLimit> rateLimit, Map<String, Double> resourceCaps,
        Optional<ApprovalRequirement> approval, Optional<Sequence> after, int provenanceHops,
        boolean provenanceSinceStart) {

    public PolicyRule {
        places = List.copyOf(places);
        parameters = Map.copyOf(parameters);
        timeWindows = List.copyOf(timeWindows);
        resourceCaps = Map.copyOf(resourceCaps);
        after = after == null ? Optional.empty() : after;
    }

    /** A rule without a sequence condition or a provenance requirement. */
    public PolicyRule(String id, String action, boolean deny, List<String> places, Map<String, Envelope> parameters,
            List<TimeWindow> timeWindows, Optional<RateLimit> rateLimit, Map<String, Double> resourceCaps,
            Optional<ApprovalRequirement> approval) {
        this(id, action, deny, places, parameters, timeWindows, rateLimit, resourceCaps, approval, Optional.empty(),
                0, false);
    }

    /** A rule without a provenance requirement: its approval, if any, required as {@code after} says. */
    public PolicyRule(String id, String action, boolean deny, List<String> places, Map<String, Envelope> parameters,
            List<TimeWindow> timeWindows, Optional<RateLimit> rateLimit, Map<String, Double> resourceCaps,
            Optional<ApprovalRequirement> approval, Optional<Sequence> after) {
        this(id, action, deny, places, parameters, timeWindows, rateLimit, resourceCaps, approval, after, 0, false);
    }

    /** A rule without a sequence condition. */
    public PolicyRule(String id, String action, boolean deny, List<String> places, Map<String, Envelope> parameters,
            List<TimeWindow> timeWindows, Optional<RateLimit> rateLimit, Map<String, Double> resourceCaps,
            Optional<ApprovalRequirement> approval, int provenanceHops, boolean provenanceSinceStart) {
        this(id, action, deny, places, parameters, timeWindows, rateLimit, resourceCaps, approval, Optional.empty(),
                provenanceHops, provenanceSinceStart);
    }

    /** A rule that forbids {@code action} outright. */
    public static PolicyRule denying(String id, String action) {
        return new PolicyRule(id, action, true, List.of(), Map.of(), List.of(), Optional.empty(), Map.of(),
                Optional.empty());
    }

    /**
     * "After observing or performing Y within T": the triggers of a sequence rule. {@code observed} are globs of
     * inbound payload type names ({@code StormWarning}), {@code performed} globs of action classes the entity was
     * allowed ({@code alert.*}); a trigger counts when its journaled time lies in {@code [at - within, at]}.
     */
    public record Sequence(List<String> observed, List<String> performed, Duration within) {
        public Sequence {
            observed = List.copyOf(observed);
            performed = List.copyOf(performed);
        }

        /** The newest trigger within the window before {@code atMillis}, as text, or empty when none. */
        public Optional<String> triggeredBy(SequenceView view, long atMillis) {
            long from = atMillis - within.toMillis();
            for (String glob : observed) {
                java.util.OptionalLong t = view.lastObserved(glob, atMillis);
                if (t.isPresent() && t.getAsLong() >= from) {
                    return Optional.of("observed " + glob + " at " + Instant.ofEpochMilli(t.getAsLong()));
                }
            }
            for (String glob : performed) {
                java.util.OptionalLong t = view.lastPerformed(glob, atMillis);
                if (t.isPresent() && t.getAsLong() >= from) {
                    return Optional.of("performed " + glob + " at " + Instant.ofEpochMilli(t.getAsLong()));
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "after " + (observed.isEmpty() ? "" : "observing " + observed)
                    + (observed.isEmpty() || performed.isEmpty() ? "" : " or ")
                    + (performed.isEmpty() ? "" : "performing " + performed) + " within "
                    + within.toString().substring(2).toLowerCase();
        }
    }

    public boolean matches(String actionClass) {
        return Glob.matches(action, actionClass);
    }

    /** See {@link Glob#specificity}. */
    public int specificity() {
        return Glob.specificity(action);
    }

    /** An inclusive range; a missing bound is infinite. */
    public record Envelope(double min, double max) {

        public boolean contains(double value) {
            return Double.isFinite(value) && value >= min && value <= max;
        }

        /**
         * The fraction of the envelope {@code value} uses: its distance from the lower bound (0 when there is
         * none) over the envelope's width; above 1 outside. NaN when the envelope has no upper bound.
         */
        public double use(double value) {
            if (max == Double.POSITIVE_INFINITY) {
                return Double.NaN;
            }
            double low = min == Double.NEGATIVE_INFINITY ? Math.min(0, max) : min;
            double width = max - low;
            return width <= 0 ? (value <= max ? 1.0 : Double.POSITIVE_INFINITY) : (value - low) / width;
        }

        @Override
        public String toString() {
            if (min == Double.NEGATIVE_INFINITY) {
                return "<= " + fmt(max);
            }
            if (max == Double.POSITIVE_INFINITY) {
                return ">= " + fmt(min);
            }
            return fmt(min) + ".." + fmt(max);
        }
    }

    /**
     * Days of the week and a local time range [from, to) in a zone, in minutes of the day; {@code to = 1440}
     * is the end of the day. When {@code to < from} the window wraps past midnight and belongs to the day it
     * starts on (FRI 22:00-06:00 includes Saturday 05:00).
     */
    public record TimeWindow(Set<DayOfWeek> days, int fromMinute, int toMinute, ZoneId zone) {

        public TimeWindow {
            days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        }

        public boolean contains(Instant at) {
            ZonedDateTime local = at.atZone(zone);
            int minute = local.getHour() * 60 + local.getMinute();
            DayOfWeek day = local.getDayOfWeek();
            if (fromMinute < toMinute) {
                return days.contains(day) && minute >= fromMinute && minute < toMinute;
            }
            return (days.contains(day) && minute >= fromMinute) || (days.contains(day.minus(1)) && minute < toMinute);
        }

        @Override
        public String toString() {
            String d = days.isEmpty() ? "no day" : EnumSet.copyOf(days).stream().map(x -> x.name().substring(0, 3))
                    .collect(Collectors.joining(","));
            return d + " " + hhmm(fromMinute) + "-" + hhmm(toMinute) + " " + zone;
        }

        private static String hhmm(int minute) {
            return String.format("%02d:%02d", minute / 60, minute % 60);
        }
    }

    /** At most {@code max} actions in any window of length {@code per}. */
    public record RateLimit(int max, Duration per) {
        @Override
        public String toString() {
            return max + " per " + per.toString().substring(2).toLowerCase();
        }
    }

    public static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
