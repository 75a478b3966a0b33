package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Red team (session 3b): on Java 17, where {@code Thread.stop} works, a call that catches every {@code ThreadDeath}
 * (as {@code redteam.packs.swallow.SwallowingLogic} does, which admission lets through) is stopped
 * {@code logic-stop-attempts} times and then given up as "stuck": its thread keeps running pack code forever and a
 * new thread is started in its place. Each such entity costs the node one core, without bound.
 */
class RedTeamSwallowedStopTest {

    @Disabled("red team: a logic that swallows ThreadDeath keeps its thread forever after the watchdog gives up")
    @Test
    void aCallThatSwallowsEveryStopDoesNotKeepItsThread() throws Exception {
        LogicWatchdog watchdog = new LogicWatchdog(new LogicWatchdog.Settings(1, Duration.ofMillis(10), 5),
                "swallow-test");
        AtomicBoolean entered = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean(); // only so this test does not leave a spinning thread behind
        AtomicInteger swallowed = new AtomicInteger();
        Thread[] ran = new Thread[1];
        try {
            LogicWatchdog.Call<Integer> runaway = watchdog.submit("agent:swallow", () -> {
                ran[0] = Thread.currentThread();
                entered.set(true);
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
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!entered.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(entered.get());
            runaway.stop();

            // Every stop the watchdog has (5 here, 50 by default) is swallowed...
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (watchdog.stuckThreads() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertTrue(swallowed.get() >= 1, "the stops reached the call");
            // ...and then the thread is written off while it still runs pack code.
            long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ran[0].isAlive() && ran[0].getState() == Thread.State.RUNNABLE && !release.get()
                    && watchdog.stuckThreads() != 0 && System.nanoTime() < grace) {
                Thread.onSpinWait();
            }
            assertFalse(watchdog.stuckThreads() != 0 && ran[0].isAlive(),
                    "after " + swallowed.get() + " swallowed stops the logic thread " + ran[0].getName()
                            + " still runs pack code (stuck threads: " + watchdog.stuckThreads() + ", live: "
                            + watchdog.liveThreads() + ")");
        } finally {
            release.set(true);
            watchdog.shutdown();
        }
    }
}
