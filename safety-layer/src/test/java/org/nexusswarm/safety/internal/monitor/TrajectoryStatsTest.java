package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.Ladder;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** The trajectory monitors: each monitor and rung, window expiry, boundedness, determinism, bad input. */
class TrajectoryStatsTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Ladder OFF = Ladder.NEVER;

    private static Observation allowed(long at, String action) {
        return new Observation(at, action, true, 0);
    }

    private static Observation denied(long at, String action) {
        return new Observation(at, action, false, 0);
    }

    private static TrajectoryStats recordAll(TrajectoryStats stats, List<Observation> observations) {
        for (Observation o : observations) {
            stats = stats.record(o);
        }
        return stats;
    }

    private static MonitorThresholds only(Ladder denial, Ladder rate, Ladder oscillation, Ladder drift) {
        return new MonitorThresholds(MINUTE, denial, rate, oscillation, drift);
    }

    /** {@code n} intents one second apart from T0, the first {@code deniedCount} of them denied. */
    private static TrajectoryStats withDenials(int n, int deniedCount) {
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < n; i++) {
            stats = stats.record(i < deniedCount ? denied(T0 + i * 1000L, "a") : allowed(T0 + i * 1000L, "a"));
        }
        return stats;
    }

    @Test
    void nothingObservedIsWithinEveryThreshold() {
        Assessment a = TrajectoryStats.empty().assess(MonitorThresholds.defaults(), T0);
        assertEquals(EscalationLevel.NONE, a.level());
        assertEquals(Assessment.none(), a);
    }

    @Test
    void denialRateClimbsTheDefaultLadder() {
        MonitorThresholds defaults = MonitorThresholds.defaults(); // warn 0.2, throttle 0.4, kill 0.6
        long now = T0 + 5_000;
        assertEquals(EscalationLevel.NONE, withDenials(5, 0).assess(defaults, now).level());
        assertEquals(EscalationLevel.WARN, withDenials(5, 1).assess(defaults, now).level());
        assertEquals(EscalationLevel.THROTTLE, withDenials(5, 2).assess(defaults, now).level());
        Assessment kill = withDenials(5, 3).assess(defaults, now);
        assertEquals(EscalationLevel.KILL, kill.level(), "REQUIRE_APPROVAL is NaN and skipped: 0.6 reaches kill");
        assertEquals(Assessment.DENIAL_RATE, kill.monitor());
        assertEquals(0.6, kill.value(), 1e-9);
        assertTrue(kill.reason().contains("3 of 5") && kill.reason().contains("KILL"), kill.reason());
    }

    @Test
    void denialRateNeedsAtLeastFiveIntents() {
        Assessment a = withDenials(4, 4).assess(MonitorThresholds.defaults(), T0 + 4_000);
        assertEquals(EscalationLevel.NONE, a.level(), "4 of 4 denied, but too few to judge");
        assertEquals(EscalationLevel.KILL, withDenials(5, 5).assess(MonitorThresholds.defaults(), T0 + 5_000).level());
    }

    @Test
    void actionRateSpikeClimbsEveryRung() {
        MonitorThresholds t = only(OFF, new Ladder(10, 20, 30, 40), OFF, OFF);
        TrajectoryStats stats = TrajectoryStats.empty();
        EscalationLevel[] expected = {EscalationLevel.WARN, EscalationLevel.THROTTLE, EscalationLevel.REQUIRE_APPROVAL,
            EscalationLevel.KILL};
        for (int rung = 0; rung < 4; rung++) {
            for (int i = 0; i < 10; i++) {
                stats = stats.record(allowed(T0 + 10_000 + rung * 1000L + i, "a"));
            }
            Assessment a = stats.assess(t, T0 + 20_000);
            assertEquals(expected[rung], a.level(), "after " + (rung + 1) * 10 + " intents in a minute");
            assertEquals(Assessment.ACTION_RATE, a.monitor());
            assertEquals((rung + 1) * 10.0, a.value(), 1e-9);
        }
    }

    @Test
    void actionRateIsMeasuredBeyondTheKeptObservations() {
        // The default ladder warns at 600 intents per minute: far more than the 256 observations kept.
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < 700; i++) {
            stats = stats.record(allowed(T0 + i * 50L, "a"));
        }
        Assessment a = stats.assess(MonitorThresholds.defaults(), T0 + 35_000);
        assertEquals(EscalationLevel.WARN, a.level());
        assertEquals(700.0, a.value(), 1e-9);
        assertEquals(TrajectoryStats.MAX_EVENTS, stats.recent().size());
    }

    @Test
    void oscillationCountsReturnsBetweenTwoActionClasses() {
        assertEquals(0, TrajectoryStats.alternations(seq("a", "a", "b", "b", "a", "a")));
        assertEquals(1, TrajectoryStats.alternations(seq("a", "b", "a")));
        assertEquals(2, TrajectoryStats.alternations(seq("a", "b", "a", "b")));
        assertEquals(0, TrajectoryStats.alternations(seq("a", "b", "c", "a", "b", "c")));
        // Defaults: warn 6, throttle 10, approval 16, kill never.
        MonitorThresholds defaults = MonitorThresholds.defaults();
        int[] lengths = {7, 8, 12, 18, 40};
        EscalationLevel[] expected = {EscalationLevel.NONE, EscalationLevel.WARN, EscalationLevel.THROTTLE,
            EscalationLevel.REQUIRE_APPROVAL, EscalationLevel.REQUIRE_APPROVAL};
        for (int k = 0; k < lengths.length; k++) {
            TrajectoryStats stats = TrajectoryStats.empty();
            for (int i = 0; i < lengths[k]; i++) {
                stats = stats.record(allowed(T0 + i * 100L, i % 2 == 0 ? "open-valve" : "close-valve"));
            }
            Assessment a = stats.assess(defaults, T0 + 10_000);
            assertEquals(expected[k], a.level(), lengths[k] + " alternating intents");
            if (a.level() != EscalationLevel.NONE) {
                assertEquals(Assessment.OSCILLATION, a.monitor());
                assertEquals(lengths[k] - 2, a.value(), 1e-9);
            }
        }
    }

    @Test
    void driftLooksAtTheNewestFewIntentsOnly() {
        MonitorThresholds defaults = MonitorThresholds.defaults(); // warn 0.9, approval 0.98
        TrajectoryStats stats = TrajectoryStats.empty().record(new Observation(T0, "divert", true, 0.99));
        assertEquals(EscalationLevel.REQUIRE_APPROVAL, stats.assess(defaults, T0 + 1).level());
        for (int i = 1; i <= TrajectoryStats.DRIFT_LOOKBACK; i++) {
            stats = stats.record(new Observation(T0 + i, "divert", true, 0.5));
        }
        assertEquals(EscalationLevel.NONE, stats.assess(defaults, T0 + 10).level(), "the 0.99 is no longer recent");
        stats = stats.record(new Observation(T0 + 20, "divert", true, 0.95));
        Assessment warn = stats.assess(defaults, T0 + 21);
        assertEquals(EscalationLevel.WARN, warn.level());
        assertEquals(Assessment.ENVELOPE_DRIFT, warn.monitor());
        assertEquals(0.95, warn.value(), 1e-9);
        assertTrue(warn.reason().contains("95%"), warn.reason());
    }

    @Test
    void nanRungsNeverFireAndTheStrongestMonitorWins() {
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < 50; i++) {
            stats = stats.record(new Observation(T0 + i, i % 2 == 0 ? "a" : "b", false, 5.0));
        }
        MonitorThresholds never = only(OFF, OFF, OFF, OFF);
        assertEquals(EscalationLevel.NONE, stats.assess(never, T0 + 100).level());
        MonitorThresholds mixed = only(new Ladder(0.1, Double.NaN, Double.NaN, Double.NaN), OFF,
                new Ladder(Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                new Ladder(Double.NaN, Double.NaN, 1.0, Double.NaN));
        Assessment a = stats.assess(mixed, T0 + 100);
        assertEquals(EscalationLevel.REQUIRE_APPROVAL, a.level());
        assertEquals(Assessment.ENVELOPE_DRIFT, a.monitor());
        // Ties go to the monitor named first.
        MonitorThresholds tie = only(new Ladder(0.5, Double.NaN, Double.NaN, Double.NaN),
                new Ladder(1, Double.NaN, Double.NaN, Double.NaN), OFF, OFF);
        assertEquals(Assessment.DENIAL_RATE, stats.assess(tie, T0 + 100).monitor());
        assertEquals(EscalationLevel.NONE, EscalationLevel.reached(null, 10));
        assertEquals(EscalationLevel.NONE, EscalationLevel.reached(new Ladder(1, 2, 3, 4), Double.NaN));
        assertTrue(EscalationLevel.KILL.atLeast(EscalationLevel.THROTTLE));
    }

    @Test
    void eventsLeaveTheWindowAndTheRetention() {
        MonitorThresholds t = only(OFF, new Ladder(1, Double.NaN, Double.NaN, Double.NaN), OFF, OFF);
        TrajectoryStats stats = TrajectoryStats.empty().record(allowed(T0, "a"));
        assertEquals(EscalationLevel.WARN, stats.assess(t, T0 + 30_000).level());
        assertEquals(1, stats.count("a", MINUTE, T0 + 59_000));
        // Buckets are 2.5 s wide with the default 10-minute retention: one that straddles the window's start
        // still counts (never undercount); a bucket width later nothing remains.
        assertEquals(EscalationLevel.WARN, stats.assess(t, T0 + 61_000).level());
        assertEquals(EscalationLevel.NONE, stats.assess(t, T0 + 62_500).level());
        assertEquals(0, stats.count("a", MINUTE, T0 + 60_000));
        // Retention (10 minutes by default) is counted from the newest observation.
        TrajectoryStats later = stats.record(allowed(T0 + 11 * 60_000, "b"));
        assertEquals(1, later.recent().size());
        assertEquals(1, later.buckets().size());
        // An observation older than the retention changes nothing.
        assertSame(later, later.record(allowed(T0, "c")));
    }

    @Test
    void countServesPolicyRateLimitsPerActionClass() {
        TrajectoryStats stats = recordAll(TrajectoryStats.empty(), List.of(allowed(T0, "a"), denied(T0 + 1000, "a"),
                allowed(T0 + 2000, "b"), allowed(T0 + 30_000, "a")));
        assertEquals(3, stats.count("a", MINUTE, T0 + 30_000));
        assertEquals(1, stats.count("b", MINUTE, T0 + 30_000));
        assertEquals(0, stats.count("c", MINUTE, T0 + 30_000));
        assertEquals(1, stats.count("a", Duration.ofSeconds(10), T0 + 30_000));
    }

    @Test
    void countNeverUndercountsBeyondTheKeptObservations() {
        TrajectoryStats stats = TrajectoryStats.empty();
        for (int i = 0; i < 400; i++) {
            stats = stats.record(allowed(T0 + i * 10L, i < 100 ? "rare" : "busy"));
        }
        long rare = stats.count("rare", MINUTE, T0 + 5_000);
        assertTrue(rare >= 100, "100 'rare' intents fell in the window but were evicted; counted " + rare);
        long busy = stats.count("busy", MINUTE, T0 + 5_000);
        assertTrue(busy >= 300 && busy <= 300 + 100, "300 'busy', bounded by the 100 evicted others: " + busy);
        // Once the window no longer reaches the evicted ones, counts are exact again.
        assertEquals(0, stats.count("rare", Duration.ofSeconds(1), T0 + 4_000));
    }

    @Test
    void memoryStaysBoundedOverAHundredThousandObservations() {
        TrajectoryStats stats = TrajectoryStats.empty();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            stats = stats.record(new Observation(T0 + i * 37L, "c" + random.nextInt(20), random.nextBoolean(),
                    random.nextDouble()));
            assertTrue(stats.recent().size() <= TrajectoryStats.MAX_EVENTS);
            assertTrue(stats.buckets().size() <= TrajectoryStats.MAX_BUCKETS + 1);
        }
        byte[] bytes = SwarmKryo.withoutActorRefs().toBytes(stats);
        assertTrue(bytes.length < 20_000, "snapshot size " + bytes.length);
        assertEquals(TrajectoryStats.MAX_EVENTS, stats.recent().size());
    }

    @Test
    void replayingTheSameObservationsGivesTheSameStatsAndAssessments() {
        Random random = new Random(42);
        List<Observation> history = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            history.add(new Observation(T0 + i * 40L, random.nextBoolean() ? "a" : "b", random.nextInt(4) > 0,
                    random.nextDouble()));
        }
        TrajectoryStats first = recordAll(TrajectoryStats.empty(), history);
        TrajectoryStats second = recordAll(TrajectoryStats.empty(), history);
        assertEquals(first, second);
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        TrajectoryStats recovered = (TrajectoryStats) kryo.fromBytes(kryo.toBytes(first));
        assertEquals(first, recovered);
        long now = T0 + 2_000 * 40L;
        MonitorThresholds defaults = MonitorThresholds.defaults();
        assertEquals(first.assess(defaults, now), recovered.assess(defaults, now));
        assertEquals(first.count("a", MINUTE, now), recovered.count("a", MINUTE, now));
        // Recovery continues exactly as the live state would.
        Observation next = allowed(now + 1, "a");
        assertEquals(first.record(next), recovered.record(next));
        Assessment a = first.assess(defaults, now);
        assertEquals(a, kryo.fromBytes(kryo.toBytes(a)));
    }

    @Test
    void retentionCanGrowOrShrinkWithoutUndercounting() {
        TrajectoryStats stats = recordAll(TrajectoryStats.empty(), List.of(allowed(T0, "a"), allowed(T0 + 1500, "a"),
                allowed(T0 + 59_000, "a")));
        TrajectoryStats longer = stats.withRetention(Duration.ofHours(2));
        assertEquals(30_000, longer.bucketMillis());
        assertEquals(3, longer.count("a", Duration.ofHours(1), T0 + 60_000));
        assertTrue(longer.buckets().size() <= 2);
        TrajectoryStats shorter = stats.withRetention(Duration.ofSeconds(30));
        assertEquals(1000, shorter.bucketMillis());
        assertEquals(1, shorter.recent().size());
        assertEquals(1, shorter.count("a", Duration.ofSeconds(30), T0 + 60_000));
        MonitorThresholds rate = new MonitorThresholds(Duration.ofSeconds(30), OFF,
                new Ladder(1, Double.NaN, Double.NaN, Double.NaN), OFF, OFF);
        assertEquals(2.0, shorter.assess(rate, T0 + 60_000).value(), 1e-9, "one intent per 30 s");
        assertEquals(TrajectoryStats.empty(Duration.ofSeconds(30)),
                TrajectoryStats.empty().withRetention(Duration.ofSeconds(30)));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Observation(T0, null, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Observation(T0, "a", true, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Observation(T0, "a", true, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new Observation(T0, "a", true, Double.POSITIVE_INFINITY));
        assertEquals(Observation.MAX_ACTION_CLASS_CHARS, new Observation(T0, "x".repeat(10_000), true, 0)
                .actionClass().length());
        assertThrows(IllegalArgumentException.class, () -> TrajectoryStats.empty(null));
        assertThrows(IllegalArgumentException.class, () -> TrajectoryStats.empty(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> TrajectoryStats.empty(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new TrajectoryStats(0, List.of(), List.of(), 0));
        TrajectoryStats stats = TrajectoryStats.empty(MINUTE);
        MonitorThresholds tooLong = new MonitorThresholds(Duration.ofMinutes(2), OFF, OFF, OFF, OFF);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stats.assess(tooLong, T0));
        assertTrue(e.getMessage().contains("exceeds the retention"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stats.count("a", Duration.ofHours(1), T0));
        assertThrows(IllegalArgumentException.class, () -> stats.count("a", Duration.ZERO, T0));
        assertThrows(IllegalArgumentException.class, () -> stats.withRetention(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Assessment(null, "", 0, ""));
        // Extreme timestamps neither overflow nor throw.
        TrajectoryStats extreme = stats.record(allowed(Long.MAX_VALUE, "a")).record(allowed(Long.MIN_VALUE, "a"));
        assertEquals(1, extreme.recent().size());
        assertEquals(EscalationLevel.NONE, extreme.assess(MonitorThresholds.defaults(), Long.MIN_VALUE).level());
        assertEquals(1, stats.record(allowed(Long.MIN_VALUE + 1, "a")).count("a", MINUTE, Long.MIN_VALUE + 1));
    }

    private static List<Observation> seq(String... classes) {
        List<Observation> list = new java.util.ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            list.add(allowed(T0 + i, classes[i]));
        }
        return list;
    }
}
