package org.nexusswarm.safety.api.monitor;

import java.time.Duration;

/**
 * Thresholds of the trajectory monitors, as a rail's policy sets them.
 *
 * @param window            the sliding window every statistic is computed over
 * @param denialRate        share of denied intents in the window (0..1)
 * @param actionsPerMinute  intents per minute in the window (spikes)
 * @param oscillation       flip-flops back to the action class before the last in the window (A,B,A,B;
 *                          A,A,B,B; A,B,B,A: see {@link TrajectoryStats#flips})
 * @param envelopeDrift     largest fraction of a policy envelope used by recent parameters (e.g. 0.95 = near the edge)
 * @param parameterFlapping reversals of one parameter within one action class in the window (mw 10,50,10,50)
 * @param flappingAmplitude the smallest swing that counts as a reversal, relative to the larger magnitude (0.2 =
 *                          20%): noise below it is no flapping
 */
public record MonitorThresholds(Duration window, Ladder denialRate, Ladder actionsPerMinute, Ladder oscillation,
        Ladder envelopeDrift, Ladder parameterFlapping, double flappingAmplitude) {

    /** The default relative swing that counts as a parameter reversal. */
    public static final double DEFAULT_FLAPPING_AMPLITUDE = 0.2;

    public MonitorThresholds {
        if (!(flappingAmplitude > 0) || Double.isInfinite(flappingAmplitude)) {
            throw new IllegalArgumentException("the flapping amplitude must be a positive fraction, was "
                    + flappingAmplitude);
        }
    }

    /** Thresholds whose parameter-flapping ladder is the oscillation ladder, at the default amplitude. */
    public MonitorThresholds(Duration window, Ladder denialRate, Ladder actionsPerMinute, Ladder oscillation,
            Ladder envelopeDrift) {
        this(window, denialRate, actionsPerMinute, oscillation, envelopeDrift, oscillation, DEFAULT_FLAPPING_AMPLITUDE);
    }

    /** The same thresholds over another window. */
    public MonitorThresholds withWindow(Duration other) {
        return new MonitorThresholds(other, denialRate, actionsPerMinute, oscillation, envelopeDrift, parameterFlapping,
                flappingAmplitude);
    }

    /** Used when a policy names no monitors: denials escalate, everything else only warns. */
    public static MonitorThresholds defaults() {
        Ladder swings = new Ladder(6, 10, 16, Double.NaN);
        return new MonitorThresholds(Duration.ofMinutes(1),
                new Ladder(0.2, 0.4, Double.NaN, 0.6),
                new Ladder(600, 1200, Double.NaN, Double.NaN),
                swings,
                new Ladder(0.9, Double.NaN, 0.98, Double.NaN),
                swings, DEFAULT_FLAPPING_AMPLITUDE);
    }
}
