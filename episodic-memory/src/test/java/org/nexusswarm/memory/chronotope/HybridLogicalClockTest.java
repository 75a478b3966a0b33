package org.nexusswarm.memory.chronotope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.memory.chronotope.HybridLogicalClock.logical;
import static org.nexusswarm.memory.chronotope.HybridLogicalClock.pack;
import static org.nexusswarm.memory.chronotope.HybridLogicalClock.physical;
import static org.nexusswarm.memory.chronotope.HybridLogicalClock.receive;
import static org.nexusswarm.memory.chronotope.HybridLogicalClock.tick;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    private static final long T = 1_790_000_000_000L; // a wall time in 2026
    private static final int MAX_LOGICAL = 0xFFFF;

    @Test
    void packsPhysicalMillisAndALogicalCounter() {
        long hlc = pack(T, 7);
        assertEquals(T, physical(hlc));
        assertEquals(7, logical(hlc));
        assertTrue(pack(T, 1) > pack(T, 0));
        assertTrue(pack(T + 1, 0) > pack(T, MAX_LOGICAL), "physical time dominates the counter");
        assertEquals("2026-09-21T14:13:20Z+7", HybridLogicalClock.format(hlc));
    }

    @Test
    void tickFollowsTheWallClockWhenItMovesForward() {
        assertEquals(pack(T + 5, 0), tick(pack(T, 3), T + 5));
        assertEquals(pack(T, 0), tick(0, T), "the first tick starts from the wall clock");
    }

    @Test
    void tickStaysMonotonicWhenTheWallClockGoesBackwards() {
        long[] wall = {T, T + 1, T - 500, T - 500, T + 1, T + 2, T - 10_000, T + 3};
        long last = 0;
        for (long now : wall) {
            long next = tick(last, now);
            assertTrue(next > last, "tick at wall " + now + " went from " + last + " to " + next);
            assertTrue(physical(next) >= now, "never behind the wall clock");
            last = next;
        }
        assertEquals(pack(T + 3, 0), last, "caught up with the wall clock once it passed the clock's time");
        assertEquals(pack(T + 1, 2), tick(pack(T + 1, 1), T - 500), "behind: same millisecond, counter + 1");
    }

    @Test
    void receiveJumpsPastARemoteTimestampFromTheFuture() {
        long remote = pack(T + 60_000, 9);
        long received = receive(pack(T, 4), remote, T + 1);
        assertTrue(received > remote, "causally later than the message");
        assertEquals(pack(T + 60_000, 10), received);
        long after = tick(received, T + 2);
        assertTrue(after > received, "the local clock keeps the jump");
    }

    @Test
    void receiveCoversEveryOrderingOfLocalRemoteAndWallTime() {
        assertEquals(pack(T + 9, 0), receive(pack(T, 4), pack(T + 1, 8), T + 9), "wall clock ahead of both");
        assertEquals(pack(T + 5, 4), receive(pack(T + 5, 3), pack(T + 1, 8), T), "local ahead");
        assertEquals(pack(T + 5, 9), receive(pack(T + 5, 3), pack(T + 5, 8), T), "same millisecond: max + 1");
        assertEquals(pack(T + 5, 9), receive(pack(T + 5, 8), pack(T + 5, 3), T + 5), "all three equal");
    }

    @Test
    void aFullLogicalCounterBorrowsTheNextMillisecond() {
        long full = pack(T, MAX_LOGICAL);
        long ticked = tick(full, T);
        assertEquals(pack(T + 1, 0), ticked);
        assertTrue(ticked > full);
        assertEquals(pack(T + 1, 0), receive(full, pack(T, 3), T));
        assertEquals(pack(T + 1, 0), receive(pack(T, 1), full, T - 3));
        assertTrue(tick(ticked, T) > ticked, "and carries on from there");
    }

    @Test
    void aRandomWalkOfTicksAndReceivesIsStrictlyIncreasing() {
        Random random = new Random(42);
        long last = 0;
        for (int i = 0; i < 100_000; i++) {
            long now = T + random.nextInt(2_000) - 1_000; // jittery, often backwards
            long next;
            if (random.nextInt(3) == 0) {
                long remote = pack(T + random.nextInt(3_000) - 1_000, random.nextInt(MAX_LOGICAL + 1));
                next = receive(last, remote, now);
                assertTrue(next > remote, "received " + remote + " but stamped " + next);
            } else {
                next = tick(last, now);
            }
            assertTrue(next > last, "step " + i + ": " + last + " -> " + next);
            last = next;
        }
    }
}
