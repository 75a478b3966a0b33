package org.nexusswarm.safety.internal.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether an envelope's timestamp is recent enough to accept: not older than a maximum age (which bounds how
 * long a captured envelope stays replayable, also for senders the {@link ReplayGuard} has forgotten) and not
 * further in the future than the allowed clock skew. Pure: the caller passes the time.
 */
public final class Staleness {

    private Staleness() {}

    /**
     * Empty when {@code envelopeHlcPhysicalMillis} (the physical part of the sender's hybrid logical clock,
     * {@code HybridLogicalClock.physical(envelope.hlc())}) lies within {@code [now - maxAge, now + maxSkew]};
     * else a readable reason. Throws {@link IllegalArgumentException} for a missing or negative limit.
     */
    public static Optional<String> check(long envelopeHlcPhysicalMillis, long nowMillis, Duration maxAge,
            Duration maxSkew) {
        if (maxAge == null || maxAge.isNegative() || maxSkew == null || maxSkew.isNegative()) {
            throw new IllegalArgumentException("max age and max skew must be durations >= 0, were " + maxAge
                    + " and " + maxSkew);
        }
        long age = saturatedMinus(nowMillis, envelopeHlcPhysicalMillis);
        if (age > maxAge.toMillis()) {
            return Optional.of("envelope stamped " + age + " ms ago exceeds the maximum age of "
                    + maxAge.toMillis() + " ms");
        }
        if (age < 0 && (age == Long.MIN_VALUE || -age > maxSkew.toMillis())) {
            return Optional.of("envelope stamped " + describeFuture(age) + " ms in the future exceeds the allowed "
                    + "clock skew of " + maxSkew.toMillis() + " ms");
        }
        return Optional.empty();
    }

    private static String describeFuture(long age) {
        return age == Long.MIN_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(-age);
    }

    private static long saturatedMinus(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < b ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
