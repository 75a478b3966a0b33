package org.nexusswarm.safety.api.monitor;

/**
 * One monitor's escalation ladder: the measured value at which the entity is warned, throttled, made to ask
 * for approval, and killed. {@code Double.NaN} (or a missing key in policy) means "never" for that rung.
 */
public record Ladder(double warn, double throttle, double requireApproval, double kill) {

    public static final Ladder NEVER = new Ladder(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
