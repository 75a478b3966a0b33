package org.nexusswarm.safety.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Envelope timestamps: too old, too far ahead, within limits, extremes and bad limits. */
class StalenessTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final Duration AGE = Duration.ofSeconds(30);
    private static final Duration SKEW = Duration.ofSeconds(2);

    @Test
    void recentAndSlightlyAheadAreFine() {
        assertEquals(Optional.empty(), Staleness.check(NOW, NOW, AGE, SKEW));
        assertEquals(Optional.empty(), Staleness.check(NOW - 30_000, NOW, AGE, SKEW), "exactly the max age");
        assertEquals(Optional.empty(), Staleness.check(NOW + 2_000, NOW, AGE, SKEW), "exactly the max skew");
    }

    @Test
    void anOldEnvelopeIsStale() {
        String reason = Staleness.check(NOW - 30_001, NOW, AGE, SKEW).orElseThrow();
        assertTrue(reason.contains("30001 ms ago") && reason.contains("maximum age of 30000 ms"), reason);
        assertTrue(Staleness.check(Long.MIN_VALUE, NOW, AGE, SKEW).isPresent());
    }

    @Test
    void anEnvelopeFromTheFutureIsRefused() {
        String reason = Staleness.check(NOW + 2_001, NOW, AGE, SKEW).orElseThrow();
        assertTrue(reason.contains("2001 ms in the future") && reason.contains("skew of 2000 ms"), reason);
        assertTrue(Staleness.check(Long.MAX_VALUE, Long.MIN_VALUE, AGE, SKEW).orElseThrow().contains("future"));
    }

    @Test
    void badLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Staleness.check(NOW, NOW, null, SKEW));
        assertThrows(IllegalArgumentException.class, () -> Staleness.check(NOW, NOW, AGE, null));
        assertThrows(IllegalArgumentException.class, () -> Staleness.check(NOW, NOW, Duration.ofSeconds(-1), SKEW));
        assertThrows(IllegalArgumentException.class, () -> Staleness.check(NOW, NOW, AGE, Duration.ofMillis(-1)));
    }
}
