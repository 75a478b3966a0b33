package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.Ladder;

/** The rungs of a monitor's {@link Ladder}, mildest first; a later constant is a stronger response. */
public enum EscalationLevel {
    /** Within every threshold. */
    NONE,
    /** Journal a warning; the action proceeds. */
    WARN,
    /**
     * Slow the entity down: intents pass through a per-entity token bucket; those beyond it wait in a bounded
     * queue, and only a full queue refuses ({@code THROTTLED}).
     */
    THROTTLE,
    /** Each action needs a quorum approval before it leaves. */
    REQUIRE_APPROVAL,
    /** Stop the logic and quarantine the entity. */
    KILL;

    public boolean atLeast(EscalationLevel other) {
        return compareTo(other) >= 0;
    }

    /** The highest rung of {@code ladder} that {@code value} reaches; NaN rungs, a NaN value or no ladder: NONE. */
    public static EscalationLevel reached(Ladder ladder, double value) {
        if (ladder == null || Double.isNaN(value)) {
            return NONE;
        }
        // Checked from the top, so a ladder whose rungs are not in increasing order still yields its strongest rung.
        if (value >= ladder.kill()) {
            return KILL;
        }
        if (value >= ladder.requireApproval()) {
            return REQUIRE_APPROVAL;
        }
        if (value >= ladder.throttle()) {
            return THROTTLE;
        }
        if (value >= ladder.warn()) {
            return WARN;
        }
        return NONE;
    }

    /** The threshold of this rung in {@code ladder} (NaN for NONE). */
    public double thresholdIn(Ladder ladder) {
        return switch (this) {
            case NONE -> Double.NaN;
            case WARN -> ladder.warn();
            case THROTTLE -> ladder.throttle();
            case REQUIRE_APPROVAL -> ladder.requireApproval();
            case KILL -> ladder.kill();
        };
    }
}
