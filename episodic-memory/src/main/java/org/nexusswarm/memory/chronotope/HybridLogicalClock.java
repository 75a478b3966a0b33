package org.nexusswarm.memory.chronotope;

import java.time.Instant;

/**
 * Hybrid logical clock (Kulkarni et al.) packed into one {@code long}: the high 48 bits hold physical
 * milliseconds, the low 16 bits a logical counter. Timestamps never go backwards even when wall clocks do,
 * and a received timestamp pushes the local clock past it, so causally later events compare greater.
 *
 * <p>Pure functions over values: the caller (an event-sourced supervisor) keeps the last timestamp in its
 * state, so replays reproduce the same clock.
 */
public final class HybridLogicalClock {

    private static final int LOGICAL_BITS = 16;
    private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private HybridLogicalClock() {}

    public static long pack(long physicalMillis, int logical) {
        return (physicalMillis << LOGICAL_BITS) | (logical & LOGICAL_MASK);
    }

    public static long physical(long hlc) {
        return hlc >>> LOGICAL_BITS;
    }

    public static int logical(long hlc) {
        return (int) (hlc & LOGICAL_MASK);
    }

    /** The timestamp of a local event that follows {@code last}, at wall time {@code nowMillis}. */
    public static long tick(long last, long nowMillis) {
        long lastPhysical = physical(last);
        if (nowMillis > lastPhysical) {
            return pack(nowMillis, 0);
        }
        return advanceLogical(lastPhysical, logical(last));
    }

    /** The timestamp of receiving a message stamped {@code remote}, after local {@code last}, at {@code nowMillis}. */
    public static long receive(long last, long remote, long nowMillis) {
        long l = Math.max(Math.max(physical(last), physical(remote)), nowMillis);
        if (l == physical(last) && l == physical(remote)) {
            return advanceLogical(l, Math.max(logical(last), logical(remote)));
        } else if (l == physical(last)) {
            return advanceLogical(l, logical(last));
        } else if (l == physical(remote)) {
            return advanceLogical(l, logical(remote));
        }
        return pack(l, 0);
    }

    private static long advanceLogical(long physical, int logical) {
        if (logical >= LOGICAL_MASK) {
            // Counter exhausted within one millisecond: borrow the next millisecond rather than wrap.
            return pack(physical + 1, 0);
        }
        return pack(physical, logical + 1);
    }

    /** Human-readable form, e.g. {@code 2026-11-21T05:18:11.123Z+3}. */
    public static String format(long hlc) {
        return Instant.ofEpochMilli(physical(hlc)) + "+" + logical(hlc);
    }
}
