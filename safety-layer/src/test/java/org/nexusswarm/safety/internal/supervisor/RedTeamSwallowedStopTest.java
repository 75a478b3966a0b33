package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Red team (session 3b): a call that catches every {@code ThreadDeath} cannot be pre-empted on any JVM; once the
 * watchdog's stops are used up its thread runs on, and a new thread took its place. Each such runaway cost the node
 * one more core, without bound. Admission now refuses such handlers ({@code StopSafety},
 * {@code RedTeamThreadDeathAdmissionTest}); this is the second line, for calls admission cannot see into (the
 * swallowing code here is test code, never admitted): past {@code logic-max-stuck-threads} no thread is replaced,
 * so runaways hold at most {@code logic-threads + logic-max-stuck-threads} threads, and later calls wait and are
 * stopped (the entity faults) instead of feeding more threads to pack code.
 */
class RedTeamSwallowedStopTest {

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }

    @Test
    void swallowedStopsHoldAtMostTheConfiguredNumberOfThreads() {
        // one logic thread, one stuck thread tolerated (and replaced), 3 stops each
        LogicWatchdog watchdog = new LogicWatchdog(new LogicWatchdog.Settings(1, Duration.ofMillis(10), 3, 1),
                "swallow-test");
        AtomicBoolean release = new AtomicBoolean(); // only so this test leaves no spinning thread behind
        AtomicInteger swallowed = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        Supplier<Integer> swallower = () -> {
            entered.incrementAndGet();
            for (;;) {
                try {
                    while (!release.get()) {
                        Thread.onSpinWait();
                    }
                    return 1;
                } catch (Throwable stop) {
                    swallowed.incrementAndGet();
                }
            }
        };
        try {
            LogicWatchdog.Call<Integer> first = watchdog.submit("agent:swallow-1", swallower);
            await(() -> entered.get() == 1, "the first call to start");
            first.stop();
            await(() -> watchdog.stuckThreads() == 1, "the first thread to be given up");
            // within the bound: replaced, so other logics keep a thread
            await(() -> watchdog.liveThreads() == 2, "a replacement thread");

            LogicWatchdog.Call<Integer> second = watchdog.submit("agent:swallow-2", swallower);
            await(() -> entered.get() == 2, "the second call to start on the replacement");
            second.stop();
            await(() -> watchdog.stuckThreads() == 2, "the second thread to be given up");
            assertTrue(swallowed.get() >= 2, "the stops reached the calls");

            // past the bound: not replaced; a third runaway finds no thread to take
            LogicWatchdog.Call<Integer> third = watchdog.submit("agent:swallow-3", swallower);
            assertEquals(2, watchdog.liveThreads(), "a thread was started past logic-max-stuck-threads");
            assertFalse(third.finished());
            third.stop(); // the child's wall-time cap: a queued call is dropped, it never runs
            assertEquals(2, entered.get(), "a call ran on a thread beyond the bound");
            assertEquals(2, watchdog.liveThreads());
        } finally {
            release.set(true);
            watchdog.shutdown();
        }
    }
}
