package org.nexusswarm.safety.api.replay;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.function.Supplier;
import org.nexusswarm.safety.internal.supervisor.BlockingLogicCalls;

/**
 * How a replay calls into logic and pack code: on a watchdog thread of the safety layer, with the wall-time cap the
 * supervisor's logic child applies ({@code nexus.swarm.safety.step-budget}, {@code step-wall-cap-min}), so a step
 * that loops is stopped and reported instead of hanging the replay. The caller blocks while a call runs: for a
 * CLI's main thread or a test, never for an actor.
 */
public final class ReplayCalls {

    private static volatile ReplayCalls defaults;

    private final BlockingLogicCalls calls;

    private ReplayCalls(BlockingLogicCalls calls) {
        this.calls = calls;
    }

    /** With the settings of {@code config} (the node's, so the cap is the one the journal was written under). */
    public static ReplayCalls from(Config config) {
        return new ReplayCalls(BlockingLogicCalls.from(config, "replay"));
    }

    /** One shared instance with the settings of the class path's configuration (its threads are daemons). */
    public static ReplayCalls defaults() {
        ReplayCalls d = defaults;
        if (d == null) {
            synchronized (ReplayCalls.class) {
                d = defaults;
                if (d == null) {
                    d = from(ConfigFactory.load());
                    defaults = d;
                }
            }
        }
        return d;
    }

    public Duration wallCap() {
        return calls.wallCap();
    }

    /**
     * Runs {@code work} under the watchdog and returns its result; rethrows what it throws, or throws
     * {@link LogicTimeoutException} when it is still running at the cap ({@code what} names the call in that message).
     */
    public <T> T call(String owner, String what, Supplier<T> work) {
        return calls.call(owner, what, work);
    }

    /** Stops the watchdog's threads (not for {@link #defaults()}). */
    public void shutdown() {
        calls.shutdown();
    }
}
