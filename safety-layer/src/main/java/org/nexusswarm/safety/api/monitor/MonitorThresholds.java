package org.nexusswarm.safety.api.monitor;

import java.time.Duration;

/**
 * Thresholds of the trajectory monitors, as a rail's policy sets them.
 *
 * @param window          the sliding window every statistic is computed over
 * @param denialRate      share of denied intents in the window (0..1)
 * @param actionsPerMinute intents per minute in the window (spikes)
 * @param oscillation     A,B,A,B alternations between two action classes in the window
 * @param envelopeDrift   largest fraction of a policy envelope used by recent parameters (e.g. 0.95 = near the edge)
 */
public record MonitorThresholds(Duration window, Ladder denialRate, Ladder actionsPerMinute, Ladder oscillation,
        Ladder envelopeDrift) {

    /** Used when a policy names no monitors: denials escalate, everything else only warns. */
    public static MonitorThresholds defaults() {
        return new MonitorThresholds(Duration.ofMinutes(1),
                new Ladder(0.2, 0.4, Double.NaN, 0.6),
                new Ladder(600, 1200, Double.NaN, Double.NaN),
                new Ladder(6, 10, 16, Double.NaN),
                new Ladder(0.9, Double.NaN, 0.98, Double.NaN));
    }
}
