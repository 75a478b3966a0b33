package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's threads: a stopped call leaves its thread serving the next call, and a stop racing with a call
 * that returns at that very moment never reaches the thread after it left the call (the next call on the same, only
 * thread always completes normally).
 */
class LogicWatchdogTest {

    private final LogicWatchdog watchdog = new LogicWatchdog(
            new LogicWatchdog.Settings(1, Duration.ofMillis(10), 50), "watchdog-test");

    @AfterEach
    void shutdown() {
        watchdog.shutdown();
    }

    private static void spinNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static <T> T await(LogicWatchdog.Call<T> call) throws Exception {
        return call.result().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStoppedLoopLeavesItsThreadToTheNextCall() throws Exception {
        AtomicBoolean entered = new AtomicBoolean();
        LogicWatchdog.Call<Integer> runaway = watchdog.submit("loop", () -> {
            entered.set(true);
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & 0xff;
            }
            return 1;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!entered.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(entered.get());
        runaway.stop();
        assertEquals(42, await(watchdog.submit("next", () -> 42)));
        assertFalse(runaway.result().toCompletableFuture().isDone(), "a stopped call has no result");
        assertEquals(1, watchdog.stoppedCalls());
        assertEquals(0, watchdog.stuckThreads());
        assertEquals(1, watchdog.liveThreads());
    }

    @Test
    void aQueuedCallThatIsStoppedNeverRuns() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean ran = new AtomicBoolean();
        LogicWatchdog.Call<Integer> busy = watchdog.submit("busy", () -> {
            while (!release.get()) {
                Thread.onSpinWait();
            }
            return 1;
        });
        LogicWatchdog.Call<Integer> queued = watchdog.submit("queued", () -> {
            ran.set(true);
            return 2;
        });
        assertEquals(Duration.ZERO, queued.running());
        queued.stop();
        release.set(true);
        assertEquals(1, await(busy));
        assertEquals(3, await(watchdog.submit("after", () -> 3)));
        assertFalse(ran.get());
    }

    @Test
    void aStopRacingWithACallThatReturnsNeverReachesTheNextCall() throws Exception {
        int finished = 0;
        int races = 300;
        for (int i = 0; i < races; i++) {
            long work = (i % 10) * 250_000L; // 0 to 2.25 ms
            LogicWatchdog.Call<Integer> call = watchdog.submit("racer-" + i, () -> {
                spinNanos(work);
                return 1;
            });
            while (call.running().isZero() && !call.finished()) {
                Thread.onSpinWait();
            }
            spinNanos(((i * 3) % 10) * 250_000L);
            call.stop();
            // The one thread runs the next call: a stray ThreadDeath would fail it.
            assertEquals(7, await(watchdog.submit("next-" + i, () -> {
                spinNanos(20_000);
                return 7;
            })), "call after race " + i);
            finished += call.finished() ? 1 : 0;
        }
        assertTrue(finished > 0 && finished < races, "both sides won some races: " + finished);
        assertEquals(0, watchdog.stuckThreads());
        assertEquals(1, watchdog.liveThreads());
    }

    @Test
    void aThreadTheJvmCannotStopIsCountedAndReplaced() throws Exception {
        LogicWatchdog noStop = new LogicWatchdog(new LogicWatchdog.Settings(1, Duration.ofMillis(10), 50),
                "no-stop", t -> {
                    throw new UnsupportedOperationException("as on JDK 20+");
                });
        AtomicBoolean entered = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean();
        try {
            LogicWatchdog.Call<Integer> runaway = noStop.submit("agent:stuck", () -> {
                entered.set(true);
                while (!release.get()) {
                    Thread.onSpinWait();
                }
                return 1;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!entered.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            runaway.stop();
            // The only thread is stuck, yet the next call is served: a fresh thread took its place.
            assertEquals(5, await(noStop.submit("agent:next", () -> 5)));
            assertEquals(1, noStop.stuckThreads());
            assertEquals(2, noStop.liveThreads());

            // Should the stuck call ever return, its thread leaves the pool and is no longer counted.
            release.set(true);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((noStop.stuckThreads() != 0 || noStop.liveThreads() != 1) && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(0, noStop.stuckThreads());
            assertEquals(1, noStop.liveThreads());
            assertFalse(runaway.result().toCompletableFuture().isDone(), "what it returned is discarded");
        } finally {
            release.set(true);
            noStop.shutdown();
        }
    }
}
