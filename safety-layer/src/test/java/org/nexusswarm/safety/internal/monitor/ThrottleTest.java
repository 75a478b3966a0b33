package org.nexusswarm.safety.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The throttle's token bucket, computed from journaled facts only: refill, burst cap, refund, bounded facts. */
class ThrottleTest {

    private static final long T0 = 1_800_000_000_000L;

    @Test
    void aFullBucketEmptiesByTakesAndRefillsAtTheRateUpToTheBurst() {
        Throttle t = Throttle.from(T0);
        assertTrue(t.active());
        assertEquals(3, t.tokens(T0, 2.0, 3), 1e-9);
        t = t.take(T0).take(T0).take(T0);
        assertEquals(0, t.tokens(T0, 2.0, 3), 1e-9);
        assertEquals(500, t.millisUntilToken(T0, 2.0, 3));
        assertEquals(1, t.tokens(T0 + 500, 2.0, 3), 1e-9);
        assertEquals(0, t.millisUntilToken(T0 + 500, 2.0, 3));
        assertEquals(3, t.tokens(T0 + 60_000, 2.0, 3), 1e-9, "never above the burst");
        // A refund gives the newest take back.
        assertEquals(1, t.refund().tokens(T0, 2.0, 3), 1e-9);
        assertEquals(5, Throttle.OFF.tokens(T0, 2.0, 5), 1e-9, "not throttled: always a full bucket");
        assertFalse(Throttle.OFF.active());
    }

    @Test
    void longThrottlingKeepsBoundedFactsAndNeverGivesMoreTokens() {
        Throttle t = Throttle.from(T0);
        // A take every 100 ms at 10 per second: always exactly one token in hand when taken.
        for (int i = 0; i < 1000; i++) {
            t = t.take(T0 + i * 100L);
        }
        assertEquals(Throttle.MAX_TAKEN, t.taken().size());
        assertFalse(t.startsFull());
        // The real bucket of 3 at 10/s, refilled by one token per 100 ms step, holds 2 after each take; the bounded
        // facts may count fewer, never more.
        double computed = t.tokens(T0 + 999 * 100L, 10.0, 3);
        assertTrue(computed <= 2 + 1e-9 && computed >= 0, "computed " + computed);
    }

    @Test
    void theStatsReplayTheBucketFromTheirEvents() {
        TrajectoryStats s = TrajectoryStats.empty().throttledFrom(T0);
        s = s.proposed(T0 + 10, "a", Map.of(), true).proposed(T0 + 20, "a", Map.of(), true);
        assertEquals(0.01, s.throttle().tokens(T0 + 20, 1.0, 2), 1e-9); // 10 ms at 1 per second refilled 0.01
        s = s.proposed(T0 + 30, "a", Map.of(), true).refunded();
        assertEquals(2, s.throttle().taken().size());
        assertEquals(Throttle.OFF, s.unthrottled().throttle());
        // Proposals while not throttled take nothing.
        assertEquals(0, TrajectoryStats.empty().proposed(T0, "a", Map.of(), false).throttle().taken().size());
        // A throttled entity recovered without a bucket (stored format 2) starts a full one at its next proposal.
        Throttle upgraded = TrajectoryStats.empty().proposed(T0, "a", Map.of(), true).throttle();
        assertEquals(T0, upgraded.sinceMillis());
        assertEquals(1, upgraded.tokens(T0, 1.0, 2), 1e-9);
    }
}
