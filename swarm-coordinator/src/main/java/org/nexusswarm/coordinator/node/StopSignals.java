package org.nexusswarm.coordinator.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Tells a foreground node when to stop: a timer ran out, Ctrl-C (SIGINT) or SIGTERM arrived, or the node's actor
 * system went away by itself (it left the cluster on an operator's order, or was downed).
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

    private final CountDownLatch wake = new CountDownLatch(1);
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final List<Runnable> restore = new ArrayList<>();

    private StopSignals() {}

    /** Why the wait ended. */
    public enum Reason { TIMER, SIGNAL, TERMINATED }

    /** Takes SIGINT and SIGTERM over until {@link #close()}. */
    public static StopSignals install() {
        StopSignals signals = new StopSignals();
        SIGNALS.forEach(signals::take);
        return signals;
    }

    /**
     * Blocks the calling thread (the command line's main thread, never an actor) until {@code timer} elapses, a
     * signal arrives (or has arrived since {@link #install()}) or {@code terminated} completes; without a timer,
     * until one of the latter two.
     */
    public Reason await(Optional<Duration> timer, CompletionStage<?> terminated) throws InterruptedException {
        terminated.whenComplete((v, e) -> wake.countDown());
        boolean woken;
        if (timer.isEmpty()) {
            wake.await();
            woken = true;
        } else {
            woken = wake.await(timer.get().toMillis(), TimeUnit.MILLISECONDS);
        }
        return !woken ? Reason.TIMER : signalled.get() ? Reason.SIGNAL : Reason.TERMINATED;
    }

    private void take(String name) {
        Signal signal = new Signal(name);
        SignalHandler[] previous = new SignalHandler[1];
        try {
            previous[0] = Signal.handle(signal, s -> {
                if (signalled.compareAndSet(false, true)) {
                    wake.countDown();
                } else {
                    Signal.handle(signal, previous[0]);
                    Signal.raise(signal);
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
