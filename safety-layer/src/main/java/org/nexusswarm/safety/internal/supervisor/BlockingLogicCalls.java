package org.nexusswarm.safety.internal.supervisor;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.nexusswarm.safety.api.replay.LogicTimeoutException;

/**
 * Calls into logic code for a caller that may block (an offline replay on a CLI's main thread, never an actor): each
 * call runs on a {@link LogicWatchdog} thread and the caller waits for it at most the supervisor's wall-time cap
 * ({@link LogicChild.Budget#wallCap()}, counted from when a thread took the call up, as the logic child counts it),
 * after which the call's thread is stopped and {@link LogicTimeoutException} thrown.
 */
public final class BlockingLogicCalls {

    private final LogicWatchdog watchdog;
    private final Duration cap;

    private BlockingLogicCalls(LogicWatchdog watchdog, Duration cap) {
        this.watchdog = watchdog;
        this.cap = cap;
    }

    /**
     * A watchdog of its own with the node's settings ({@code nexus.swarm.safety.step-budget}, {@code
     * step-wall-cap-min}, {@code logic-stop-retry}, {@code logic-stop-attempts}); one thread, since a blocking caller
     * has one call in flight (a stuck thread is still replaced).
     */
    public static BlockingLogicCalls from(Config config, String name) {
        LogicWatchdog.Settings s = LogicWatchdog.Settings.from(config);
        return new BlockingLogicCalls(new LogicWatchdog(new LogicWatchdog.Settings(1, s.stopRetry(), s.stopAttempts()),
                name), LogicChild.Budget.from(config).wallCap());
    }

    public Duration wallCap() {
        return cap;
    }

    /**
     * Runs {@code work} (logic code) on a watchdog thread and returns its result. What the work throws is rethrown
     * (an {@link Error} wrapped in an {@link IllegalStateException}, as the child makes it a fault rather than let it
     * escape); a call still running at the cap is stopped and reported as {@link LogicTimeoutException}.
     */
    public <T> T call(String owner, String what, Supplier<T> work) {
        LogicWatchdog.Call<T> call = watchdog.submit(owner, work);
        CompletableFuture<T> result = call.result().toCompletableFuture();
        long waitNanos = cap.toNanos();
        for (;;) {
            try {
                return result.get(waitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                Duration running = call.running();
                if (call.finished() || running.compareTo(cap) < 0) {
                    // Its result is on its way, or it waited for a thread: the cap counts from when one took it up.
                    waitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), cap.minus(running).toNanos());
                    continue;
                }
                call.stop();
                throw new LogicTimeoutException(what, running, cap);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(LogicChild.Runner.describe(cause), cause);
            } catch (InterruptedException e) {
                call.stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the logic's " + what + " ran", e);
            }
        }
    }

    /** Stops what still runs and the watchdog's threads. */
    public void shutdown() {
        watchdog.shutdown();
    }
}
