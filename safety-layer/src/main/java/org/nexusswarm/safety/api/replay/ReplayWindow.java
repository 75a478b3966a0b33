package org.nexusswarm.safety.api.replay;

import java.time.Instant;

/**
 * The stretch of a journal a replay reports on: events with a wall time in {@code [fromMillis, toMillis]}.
 * Events before it are still replayed (the logic's state and the trajectory must be built as they were),
 * events after it are not fed.
 */
public record ReplayWindow(long fromMillis, long toMillis) {

    /** The whole journal. */
    public static final ReplayWindow ALL = new ReplayWindow(Long.MIN_VALUE, Long.MAX_VALUE);

    public ReplayWindow {
        if (fromMillis > toMillis) {
            throw new IllegalArgumentException("the window ends (" + Instant.ofEpochMilli(toMillis)
                    + ") before it starts (" + Instant.ofEpochMilli(fromMillis) + ")");
        }
    }

    /** A window from {@code from} to {@code to}, either open (null). */
    public static ReplayWindow of(Instant from, Instant to) {
        return new ReplayWindow(from == null ? Long.MIN_VALUE : from.toEpochMilli(),
                to == null ? Long.MAX_VALUE : to.toEpochMilli());
    }

    public boolean contains(long wallTimeMillis) {
        return wallTimeMillis >= fromMillis && wallTimeMillis <= toMillis;
    }

    public boolean isAfter(long wallTimeMillis) {
        return wallTimeMillis > toMillis;
    }

    @Override
    public String toString() {
        if (fromMillis == Long.MIN_VALUE && toMillis == Long.MAX_VALUE) {
            return "the whole journal";
        }
        return (fromMillis == Long.MIN_VALUE ? "the start" : Instant.ofEpochMilli(fromMillis).toString()) + " to "
                + (toMillis == Long.MAX_VALUE ? "the end" : Instant.ofEpochMilli(toMillis).toString());
    }
}
