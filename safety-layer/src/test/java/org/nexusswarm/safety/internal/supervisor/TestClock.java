package org.nexusswarm.safety.internal.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand, installed as the node's decision clock ({@code SafetyRegistry.useClock}). */
final class TestClock extends Clock {

    private volatile long millis;

    TestClock(long startMillis) {
        this.millis = startMillis;
    }

    /** A clock standing still at the current wall time (so envelopes stamped now are fresh). */
    static TestClock frozenNow() {
        return new TestClock(System.currentTimeMillis());
    }

    void advance(Duration d) {
        millis += d.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
