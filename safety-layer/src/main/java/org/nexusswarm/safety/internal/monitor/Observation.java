package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.actors.SwarmMessage;

/**
 * One decided intent, as the trajectory monitors see it.
 *
 * @param atMillis     when it was decided (the journaled event's wall time, so replays see the same value)
 * @param actionClass  the intent's action class
 * @param allowed      whether it was allowed
 * @param envelopeUse  the largest fraction of any policy envelope its parameters used (0 if none; above 1 when
 *                     outside); finite and not negative
 */
public record Observation(long atMillis, String actionClass, boolean allowed, double envelopeUse)
        implements SwarmMessage {

    /** Longer action classes are clipped: the monitors only compare them. */
    static final int MAX_ACTION_CLASS_CHARS = 200;

    public Observation {
        if (actionClass == null) {
            throw new IllegalArgumentException("an observation needs an action class");
        }
        if (!Double.isFinite(envelopeUse) || envelopeUse < 0) {
            throw new IllegalArgumentException("envelope use must be a finite fraction >= 0, was " + envelopeUse);
        }
        if (actionClass.length() > MAX_ACTION_CLASS_CHARS) {
            actionClass = actionClass.substring(0, MAX_ACTION_CLASS_CHARS);
        }
    }
}
