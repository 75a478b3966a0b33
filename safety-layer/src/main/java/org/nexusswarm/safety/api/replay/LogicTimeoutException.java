package org.nexusswarm.safety.api.replay;

import java.time.Duration;

/** A call into logic code that was still running at the supervisor's wall-time cap; its thread was stopped. */
public final class LogicTimeoutException extends RuntimeException {

    private final Duration cap;

    public LogicTimeoutException(String what, Duration running, Duration cap) {
        super("the logic's " + what + " did not return within " + cap.toMillis() + " ms (wall-time cap; stopped after "
                + running.toMillis() + " ms)");
        this.cap = cap;
    }

    public Duration cap() {
        return cap;
    }
}
