package org.nexusswarm.coordinator.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Tells a foreground node when to stop: a timer ran out, or Ctrl-C (SIGINT) or SIGTERM arrived.
 *
 * <p>The signals are taken over instead of left to the JVM on purpose: the JVM's own handling starts its
 * shutdown sequence, which then races the node's coordinated shutdown (hooks and the command's own cleanup run
 * at once, {@code removeShutdownHook} throws "Shutdown in progress", the process exits 130/143). Handled here,
 * the first signal only ends the wait and the caller closes the node in order; a second one hands the signal back
 * to the JVM, so a node whose shutdown hangs can still be stopped. Install before starting anything, so a signal
 * during start-up is not lost either (the wait then returns at once).
 */
public final class StopSignals implements AutoCloseable {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Runnable> restore = new ArrayList<>();

    private StopSignals() {}

    /** Why the wait ended. */
    public enum Reason { TIMER, SIGNAL }

    /** Takes SIGINT and SIGTERM over until {@link #close()}. */
    public static StopSignals install() {
        StopSignals signals = new StopSignals();
        SIGNALS.forEach(signals::take);
        return signals;
    }

    /**
     * Blocks the calling thread (the command line's main thread, never an actor) until {@code timer} elapses or a
     * signal arrives (or has arrived since {@link #install()}); without a timer, until a signal.
     */
    public Reason await(Optional<Duration> timer) throws InterruptedException {
        if (timer.isEmpty()) {
            stop.await();
            return Reason.SIGNAL;
        }
        return stop.await(timer.get().toMillis(), TimeUnit.MILLISECONDS) ? Reason.SIGNAL : Reason.TIMER;
    }

    private void take(String name) {
        Signal signal = new Signal(name);
        SignalHandler[] previous = new SignalHandler[1];
        try {
            previous[0] = Signal.handle(signal, s -> {
                if (stop.getCount() == 0) {
                    Signal.handle(signal, previous[0]);
                    Signal.raise(signal);
                } else {
                    stop.countDown();
                }
            });
            restore.add(() -> Signal.handle(signal, previous[0]));
        } catch (IllegalArgumentException reserved) {
            // The signal is reserved (e.g. -Xrs): the JVM's default stays, which stops the process uncleanly.
        }
    }

    /** Gives the signals back to the JVM. */
    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
