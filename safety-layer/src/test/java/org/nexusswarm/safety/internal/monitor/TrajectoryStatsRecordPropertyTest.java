package org.nexusswarm.safety.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

/**
 * {@link TrajectoryStats#record} (optimized: side cache of the kept times, one copy) gives exactly what the
 * simple reference computation gives, over random sequences: in order, out of order, with gaps beyond the
 * retention, beyond {@value TrajectoryStats#MAX_EVENTS} observations, and from stats rebuilt by Kryo (no cache).
 */
class TrajectoryStatsRecordPropertyTest {

    private static final long T0 = 1_800_000_000_000L;

    /** The original, obviously right record(): scan for the newest, filter, append, cap. */
    static TrajectoryStats reference(TrajectoryStats s, Observation o) {
        long newest = o.atMillis();
        for (Observation e : s.recent()) {
            newest = Math.max(newest, e.atMillis());
        }
        long horizon = minus(newest, s.retentionMillis());
        if (o.atMillis() <= horizon) {
            return s;
        }
        List<Observation> kept = new ArrayList<>();
        for (Observation e : s.recent()) {
            if (e.atMillis() > horizon) {
                kept.add(e);
            }
        }
        kept.add(o);
        long evicted = s.evictedThroughMillis();
        int excess = kept.size() - TrajectoryStats.MAX_EVENTS;
        for (int i = 0; i < excess; i++) {
            evicted = Math.max(evicted, kept.get(i).atMillis());
        }
        List<Observation> nextRecent = excess > 0 ? kept.subList(excess, kept.size()) : kept;
        long width = s.bucketMillis();
        long firstIndex = Math.floorDiv(plus(horizon, 1), width);
        long index = Math.floorDiv(o.atMillis(), width);
        int denied = o.allowed() ? 0 : 1;
        List<TrajectoryStats.Bucket> next = new ArrayList<>();
        boolean added = false;
        for (TrajectoryStats.Bucket b : s.buckets()) {
            if (b.index() < firstIndex) {
                continue;
            }
            if (!added && b.index() == index) {
                next.add(new TrajectoryStats.Bucket(index, b.total() + 1, b.denied() + denied));
                added = true;
                continue;
            }
            if (!added && b.index() > index) {
                next.add(new TrajectoryStats.Bucket(index, 1, denied));
                added = true;
            }
            next.add(b);
        }
        if (!added) {
            next.add(new TrajectoryStats.Bucket(index, 1, denied));
        }
        return new TrajectoryStats(s.retentionMillis(), nextRecent, next, evicted);
    }

    private static long minus(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long plus(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Test
    void sameAsTheReferenceOverRandomSequences() {
        Random random = new Random(20261121);
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        for (int run = 0; run < 300; run++) {
            Duration retention = Duration.ofSeconds(1 + random.nextInt(run % 3 == 0 ? 30 : 3600));
            TrajectoryStats fast = TrajectoryStats.empty(retention);
            TrajectoryStats slow = fast;
            long t = T0 + random.nextInt(1_000_000);
            int steps = 1 + random.nextInt(run % 5 == 0 ? 1200 : 400);
            int mode = run % 4; // 0 in order, 1 mostly in order, 2 any order, 3 bursts and big gaps
            for (int i = 0; i < steps; i++) {
                t += switch (mode) {
                    case 0 -> random.nextInt(500);
                    case 1 -> random.nextInt(10) == 0 ? -random.nextInt(5_000) : random.nextInt(300);
                    case 2 -> random.nextInt(20_000) - 10_000;
                    default -> random.nextInt(50) == 0 ? retention.toMillis() + random.nextInt(5_000) : 0;
                };
                Observation o = new Observation(t, random.nextBoolean() ? "a" : "b", random.nextInt(4) != 0,
                        random.nextDouble());
                TrajectoryStats nextFast = fast.record(o);
                TrajectoryStats nextSlow = reference(slow, o);
                assertEquals(nextSlow, nextFast, "run " + run + " step " + i);
                if (nextSlow == slow) {
                    assertSame(fast, nextFast, "an observation too old changes nothing");
                }
                fast = nextFast;
                slow = nextSlow;
                if (random.nextInt(100) == 0) {
                    // Rebuilt from stored bytes: new list instances, the side cache knows nothing of them.
                    fast = (TrajectoryStats) kryo.fromBytes(kryo.toBytes(fast));
                    assertEquals(slow, fast);
                }
            }
        }
    }

    @Test
    void sameAsTheReferenceFromStatsBuiltInAnyOrder() {
        // Stats are only ever built time-ordered here, but the record accepts any lists: still the same result.
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            long retention = 1_000L * (1 + random.nextInt(600));
            long width = TrajectoryStats.empty(Duration.ofMillis(retention)).bucketMillis();
            List<Observation> recent = new ArrayList<>();
            int count = random.nextInt(run % 2 == 0 ? 300 : 20);
            for (int i = 0; i < count; i++) {
                recent.add(new Observation(T0 + random.nextInt((int) retention * 2), "a", random.nextBoolean(), 0));
            }
            List<TrajectoryStats.Bucket> buckets = new ArrayList<>();
            for (int i = 0; i < random.nextInt(8); i++) {
                buckets.add(new TrajectoryStats.Bucket(Math.floorDiv(T0, width) + random.nextInt(6) - 1,
                        1 + random.nextInt(3), 0));
            }
            TrajectoryStats fast = new TrajectoryStats(retention, recent, buckets, Long.MIN_VALUE);
            TrajectoryStats slow = fast;
            long t = T0 + random.nextInt((int) retention * 2);
            for (int i = 0; i < 30; i++) {
                t += random.nextInt(2_000) - 500;
                Observation o = new Observation(t, random.nextBoolean() ? "a" : "b", random.nextBoolean(), 0.5);
                fast = fast.record(o);
                slow = reference(slow, o);
                assertEquals(slow, fast, "run " + run + " step " + i);
            }
        }
    }

    @Test
    void recordKeepsTheListItBuilt() {
        TrajectoryStats s = TrajectoryStats.empty();
        for (int i = 0; i < 300; i++) {
            s = s.record(new Observation(T0 + i, "a", true, 0));
        }
        // The constructor keeps the window record built: no second copy per record.
        TrajectoryStats again = new TrajectoryStats(s.retentionMillis(), s.recent(), s.buckets(),
                s.evictedThroughMillis(), s.proposals(), s.seen(), s.throttle());
        assertSame(s.recent(), again.recent());
        assertSame(s.buckets(), List.copyOf(s.buckets()));
        assertEquals(TrajectoryStats.MAX_EVENTS, s.recent().size());
        assertEquals(T0 + 300 - TrajectoryStats.MAX_EVENTS - 1, s.evictedThroughMillis());
    }

    @Test
    void aWindowExtendedTwiceFromTheSameParentKeepsBothBranchesIntact() {
        TrajectoryStats parent = TrajectoryStats.empty();
        for (int i = 0; i < 10; i++) {
            parent = parent.record(new Observation(T0 + i, "a", true, 0));
        }
        List<Observation> before = List.copyOf(parent.recent());
        // Both extend the same parent: the second may not overwrite the slot the first claimed in place.
        TrajectoryStats left = parent.record(new Observation(T0 + 20, "left", true, 0));
        TrajectoryStats right = parent.record(new Observation(T0 + 21, "right", true, 0));
        assertEquals(before, parent.recent());
        assertEquals("left", left.recent().get(10).actionClass());
        assertEquals("right", right.recent().get(10).actionClass());
        assertEquals(11, left.recent().size());
        assertEquals(11, right.recent().size());
        assertThrows(UnsupportedOperationException.class, () -> left.recent().add(before.get(0)));
    }

    @Test
    void aWindowSurvivesTheSerializerAsAnEqualList() {
        TrajectoryStats s = TrajectoryStats.empty();
        for (int i = 0; i < 300; i++) {
            s = s.record(new Observation(T0 + i, "a", i % 3 == 0, 0));
        }
        org.nexusswarm.actors.serialization.SwarmKryo kryo = org.nexusswarm.actors.serialization.SwarmKryo.withoutActorRefs();
        TrajectoryStats back = (TrajectoryStats) kryo.fromBytes(kryo.toBytes(s));
        assertEquals(s, back);
        assertEquals(s.recent(), back.recent());
    }
}
