package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.actors.SwarmMessage;

/**
 * What the trajectory monitors say about an entity: the highest rung any monitor reached.
 *
 * @param level   the rung; {@link EscalationLevel#NONE} when every monitor is within its thresholds
 * @param monitor which monitor reached it: {@value #DENIAL_RATE}, {@value #ACTION_RATE}, {@value #OSCILLATION},
 *                {@value #PARAMETER_FLAPPING}, {@value #ENVELOPE_DRIFT}; empty for NONE
 * @param value   that monitor's measured value
 * @param reason  a readable sentence for the journal and the operator
 */
public record Assessment(EscalationLevel level, String monitor, double value, String reason) implements SwarmMessage {

    public static final String DENIAL_RATE = "denial-rate";
    public static final String ACTION_RATE = "actions-per-minute";
    public static final String OSCILLATION = "oscillation";
    public static final String ENVELOPE_DRIFT = "envelope-drift";
    public static final String PARAMETER_FLAPPING = "parameter-flapping";

    public Assessment {
        if (level == null) {
            throw new IllegalArgumentException("an assessment needs a level");
        }
        monitor = monitor == null ? "" : monitor;
        reason = reason == null ? "" : reason;
    }

    /** Every monitor within its thresholds. */
    public static Assessment none() {
        return new Assessment(EscalationLevel.NONE, "", 0, "within thresholds");
    }
}
