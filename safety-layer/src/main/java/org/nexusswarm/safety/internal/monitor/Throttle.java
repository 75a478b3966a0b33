package org.nexusswarm.safety.internal.monitor;

import java.util.ArrayList;
import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The journaled facts of a throttled entity's token bucket: since when it is throttled and when it took tokens.
 * The bucket's level is computed from these facts and the configured rate and burst ({@link #tokens}), never
 * stored, so recovery from the journal and a replay compute the same level at the same journaled time.
 *
 * <p>Bounded: at most {@value #MAX_TAKEN} takes are kept. When the oldest is dropped, the bucket is taken to
 * have been empty right after it (a take needs a whole token, so none can be left below zero): an entity
 * throttled for long is never given more than it would have had.
 *
 * @param sinceMillis when the count starts ({@link Long#MIN_VALUE}: not throttled)
 * @param startsFull  whether the bucket was full at {@code sinceMillis} (else empty)
 * @param taken       the times tokens were taken after {@code sinceMillis}, oldest first
 */
public record Throttle(long sinceMillis, boolean startsFull, List<Long> taken) implements SwarmMessage {

    /** The most takes kept. */
    public static final int MAX_TAKEN = 64;
    /** Not throttled. */
    public static final Throttle OFF = new Throttle(Long.MIN_VALUE, true, List.of());

    public Throttle {
        taken = taken == null ? List.of() : List.copyOf(taken);
    }

    /** A full bucket from {@code atMillis}. */
    public static Throttle from(long atMillis) {
        return new Throttle(atMillis, true, List.of());
    }

    public boolean active() {
        return sinceMillis != Long.MIN_VALUE;
    }

    /** One token taken at {@code atMillis}. */
    Throttle take(long atMillis) {
        List<Long> next = new ArrayList<>(taken.size() + 1);
        next.addAll(taken);
        next.add(atMillis);
        if (next.size() <= MAX_TAKEN) {
            return new Throttle(sinceMillis, startsFull, next);
        }
        long dropped = next.remove(0);
        return new Throttle(dropped, false, next);
    }

    /** The newest take given back. */
    Throttle refund() {
        return taken.isEmpty() ? this : new Throttle(sinceMillis, startsFull, taken.subList(0, taken.size() - 1));
    }

    /**
     * Tokens in the bucket at {@code nowMillis} for a bucket of {@code burst} tokens refilled at
     * {@code perSecond}: the facts replayed from {@code sinceMillis}; {@code burst} when not throttled.
     */
    public double tokens(long nowMillis, double perSecond, int burst) {
        if (!active()) {
            return burst;
        }
        double level = startsFull ? burst : 0;
        long at = sinceMillis;
        for (long t : taken) {
            level = refill(level, Math.max(0, t - at), perSecond, burst) - 1;
            at = Math.max(at, t);
        }
        return refill(level, Math.max(0, nowMillis - at), perSecond, burst);
    }

    /** Milliseconds from {@code nowMillis} until a whole token is there (0 if one is). */
    public long millisUntilToken(long nowMillis, double perSecond, int burst) {
        double missing = 1 - tokens(nowMillis, perSecond, burst);
        if (missing <= 0) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil(missing * 1000 / perSecond));
    }

    private static double refill(double level, long elapsedMillis, double perSecond, int burst) {
        return Math.min(burst, level + elapsedMillis * perSecond / 1000.0);
    }
}
