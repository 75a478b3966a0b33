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
 * Waits until a foreground node should stop: a timer ran out, or Ctrl-C (SIGINT) or SIGTERM arrived.
 *
 * <p>The signals are taken over instead of left to the JVM on purpose: the JVM's own handling starts its
 * shutdown sequence, which then races the node's coordinated shutdown (hooks and the command's own cleanup run
 * at once, {@code removeShutdownHook} throws "Shutdown in progress", the process exits 130/143). Handled here,
 * a signal only ends the wait; the caller closes the node in order and the process exits 0. While the node is
 * closing the JVM's handlers are back, so a second Ctrl-C still stops a node whose shutdown hangs.
 */
public final class StopSignals {

    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private StopSignals() {}

    /** Why the wait ended. */
    public enum Reason { TIMER, SIGNAL, TERMINATED }

    /**
     * Blocks the calling thread (the command line's main thread, never an actor) until {@code timer} elapses or
     * SIGINT/SIGTERM arrives; without a timer, until a signal.
     */
    public static Reason await(Optional<Duration> timer) throws InterruptedException {
        return await(timer, new java.util.concurrent.CompletableFuture<>());
    }

    /**
     * As {@link #await(Optional)}, and also ends when {@code terminated} completes: the node's actor system went
     * away by itself (it left the cluster on an operator's order, or was downed).
     */
    public static Reason await(Optional<Duration> timer, java.util.concurrent.CompletionStage<?> terminated)
            throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        terminated.whenComplete((v, e) -> {
            ended.set(true);
            stop.countDown();
        });
        List<Runnable> restore = new ArrayList<>();
        for (String name : SIGNALS) {
            restore.add(take(name, stop));
        }
        try {
            boolean signalled;
            if (timer.isEmpty()) {
                stop.await();
                signalled = true;
            } else {
                signalled = stop.await(timer.get().toMillis(), TimeUnit.MILLISECONDS);
            }
            return !signalled ? Reason.TIMER : ended.get() ? Reason.TERMINATED : Reason.SIGNAL;
        } finally {
            restore.forEach(Runnable::run);
        }
    }

    private static Runnable take(String name, CountDownLatch stop) {
        Signal signal = new Signal(name);
        try {
            SignalHandler previous = Signal.handle(signal, s -> stop.countDown());
            return () -> Signal.handle(signal, previous);
        } catch (IllegalArgumentException reserved) {
            // The signal is reserved (e.g. -Xrs): the JVM's default stays, which stops the process uncleanly.
            return () -> { };
        }
    }
}
