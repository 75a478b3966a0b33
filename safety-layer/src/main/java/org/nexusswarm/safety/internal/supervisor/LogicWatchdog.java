package org.nexusswarm.safety.internal.supervisor;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads pack logic code runs on, and the watchdog that stops a call into it that never returns.
 *
 * <p>Every call into a logic (each step, and {@code version()}, {@code accepts()}, {@code payloads()} and
 * {@code init} once per start) is {@link #submit submitted} here by the logic child, which waits for the result
 * without blocking. The threads belong to the safety layer, not to a Pekko dispatcher, so a step that loops forever
 * holds one of these threads and never an actor's.
 *
 * <p>When the child's wall-time cap runs out it calls {@link Call#stop}, and the call's thread is stopped with
 * {@code Thread.stop()}: on Java 17 the only way to pre-empt pure code. It is safe here because the code being
 * stopped touches only its logic's own state, which is thrown away with the killed entity. Each call has a state
 * changed only by compare-and-set, so a {@code ThreadDeath} never lands on a thread that has left the call: the
 * worker finishes a call only by a CAS the stopper cannot win concurrently, and the stopper marks each stop "in
 * flight" until {@code Thread.stop} has returned (on Java 17 the exception is installed by then, and the worker
 * throws it before running any further code). A logic that swallows the {@code ThreadDeath} is stopped again, up to
 * {@code logic-stop-attempts} times. If the thread cannot be stopped ({@code Thread.stop} throws
 * {@code UnsupportedOperationException} on JDK 20+, or the attempts are used up) it is counted as stuck
 * ({@link #stuckThreads()}, logged as an error naming the entity) and a new thread takes its place, so one stuck
 * thread never stalls other logics; but only {@code logic-max-stuck-threads} times: past that, pack code would take
 * a core per runaway without bound, so the pool shrinks instead and logic calls fail at their wall-time cap (the node
 * fails closed until restarted). Admission refuses the handlers that could swallow a stop ({@code StopSafety}); this
 * bound is for what admission cannot see (a JDK without {@code Thread.stop}, a JDK method that swallows).
 *
 * <p>Caveat: a thread stopped inside the first initialisation of one of its pack's classes leaves that class
 * unusable in this JVM (a later use throws {@code NoClassDefFoundError}); only the same pack's entities suffer,
 * as faults.
 */
final class LogicWatchdog implements Extension {

    private static final Logger LOG = LoggerFactory.getLogger(LogicWatchdog.class);

    static final ExtensionId<LogicWatchdog> ID = new ExtensionId<>() {
        @Override
        public LogicWatchdog createExtension(ActorSystem<?> system) {
            LogicWatchdog watchdog = new LogicWatchdog(Settings.from(system.settings().config()), system.name());
            system.getWhenTerminated().thenRun(watchdog::shutdown);
            return watchdog;
        }
    };

    /** The one watchdog of {@code system}. */
    static LogicWatchdog get(ActorSystem<?> system) {
        return system.registerExtension(ID);
    }

    /**
     * Config {@code nexus.swarm.safety.logic-threads}, {@code logic-stop-retry}, {@code logic-stop-attempts},
     * {@code logic-max-stuck-threads}.
     */
    record Settings(int threads, Duration stopRetry, int stopAttempts, int maxStuck) {
        static final int DEFAULT_MAX_STUCK = 4;

        Settings(int threads, Duration stopRetry, int stopAttempts) {
            this(threads, stopRetry, stopAttempts, DEFAULT_MAX_STUCK);
        }

        static Settings from(Config config) {
            Config c = config.getConfig("nexus.swarm.safety");
            return new Settings(Math.max(1, c.getInt("logic-threads")), c.getDuration("logic-stop-retry"),
                    Math.max(1, c.getInt("logic-stop-attempts")), Math.max(0, c.getInt("logic-max-stuck-threads")));
        }
    }

    // A call's life. Only the worker moves QUEUED->RUNNING->DONE and STOPPING->STOPPED; only the stopper moves
    // RUNNING->STOPPING, STOPPING<->STOP_IN_FLIGHT and ->ABANDONED.
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int CANCELLED = 3;
    private static final int STOPPING = 4;
    private static final int STOP_IN_FLIGHT = 5;
    private static final int STOPPED = 6;
    private static final int ABANDONED = 7;

    private final Settings settings;
    private final String name;
    private final LinkedBlockingQueue<Call<?>> queue = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService stopper;
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final AtomicInteger liveThreads = new AtomicInteger();
    private final AtomicInteger stuck = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();
    private final java.util.Set<Call<?>> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;
    private final java.util.function.Consumer<Thread> stopThread;

    LogicWatchdog(Settings settings, String name) {
        this(settings, name, LogicWatchdog::stopThread);
    }

    /** With another way of stopping a thread: tests play a JVM without {@code Thread.stop} through it. */
    LogicWatchdog(Settings settings, String name, java.util.function.Consumer<Thread> stopThread) {
        this.settings = settings;
        this.name = name;
        this.stopThread = stopThread;
        this.stopper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-logic-watchdog"));
        for (int i = 0; i < settings.threads(); i++) {
            startWorker();
        }
    }

    /** Runs {@code work} (pack code) on a watchdog thread; {@code owner} names the entity in logs. */
    <T> Call<T> submit(String owner, Supplier<T> work) {
        Call<T> call = new Call<>(owner, work);
        if (shutdown) {
            call.result.completeExceptionally(new IllegalStateException("the logic watchdog is shut down"));
            return call;
        }
        queue.add(call);
        return call;
    }

    /** Threads that could not be stopped and still run pack code (each replaced by a fresh one). */
    int stuckThreads() {
        return stuck.get();
    }

    /** Worker threads alive, stuck ones included. */
    int liveThreads() {
        return liveThreads.get();
    }

    /** Calls stopped so far (a thread stopped, or a queued call dropped). */
    int stoppedCalls() {
        return stops.get();
    }

    /** Drops queued calls and stops running ones (a runaway must not outlive its actor system). */
    void shutdown() {
        shutdown = true;
        queue.clear();
        running.forEach(Call::stop);
        // Stops already asked for still happen; retries and new work are refused.
        stopper.shutdown();
    }

    /** One call into a logic: its result, and the handle the child stops it by. */
    final class Call<T> {
        private final String owner;
        private final Supplier<T> work;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private volatile Thread thread;
        private volatile long startedNanos;

        private Call(String owner, Supplier<T> work) {
            this.owner = owner;
            this.work = work;
        }

        /** Completes when the call returns; never completes for a call that was stopped. */
        CompletionStage<T> result() {
            return result;
        }

        /** How long the call has been running; zero while it waits for a thread. */
        Duration running() {
            long started = startedNanos;
            return started == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
        }

        boolean finished() {
            return state.get() == DONE;
        }

        /**
         * Stops the call: a queued call never runs; a running one has its thread stopped. Does nothing to a call
         * that already returned (its result stands, and its thread is never touched again).
         */
        void stop() {
            if (state.compareAndSet(QUEUED, CANCELLED)) {
                queue.remove(this);
                stops.incrementAndGet();
                return;
            }
            if (state.compareAndSet(RUNNING, STOPPING)) {
                stops.incrementAndGet();
                schedule(() -> attempt(this, 1), 0);
            }
        }

        /** Stops the call if it is still running {@code cap} after it started (for a child that is going away). */
        void stopWhenOver(Duration cap) {
            if (state.get() == QUEUED) {
                stop();
                return;
            }
            schedule(this::stop, Math.max(0, cap.toNanos() - running().toNanos()));
        }
    }

    private void attempt(Call<?> call, int attempt) {
        if (!call.state.compareAndSet(STOPPING, STOP_IN_FLIGHT)) {
            return; // the worker left the call: its thread is no longer ours to stop
        }
        try {
            stopThread.accept(call.thread);
        } catch (UnsupportedOperationException e) {
            call.state.set(ABANDONED);
            abandon(call, "this JVM cannot stop threads (" + e.getMessage() + ")");
            return;
        }
        call.state.set(STOPPING);
        if (attempt >= settings.stopAttempts()) {
            if (call.state.compareAndSet(STOPPING, ABANDONED)) {
                abandon(call, "it swallowed " + attempt + " stops");
            }
            return;
        }
        schedule(() -> attempt(call, attempt + 1), settings.stopRetry().toNanos());
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            stopper.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shut down with the actor system: nothing left to protect
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stopThread(Thread thread) {
        thread.stop();
    }

    private void abandon(Call<?> call, String why) {
        int count = stuck.incrementAndGet();
        boolean replace = count <= settings.maxStuck();
        LOG.error("{}: the logic thread {} of {} overran its budget and cannot be stopped: {}; {} stuck logic "
                + "thread(s) on this node{}", name, call.thread.getName(), call.owner, why, count,
                replace ? ", a new thread takes its place"
                        : ", more than logic-max-stuck-threads = " + settings.maxStuck() + ": NOT replaced, so pack"
                        + " code holds at most logic-threads + logic-max-stuck-threads threads; logic calls wait"
                        + " (and fault at their wall-time cap) until the node is restarted");
        if (!shutdown && replace) {
            startWorker();
        }
    }

    private void startWorker() {
        Thread t = daemon(this::work, name + "-logic-" + threadNumbers.incrementAndGet());
        liveThreads.incrementAndGet();
        t.start();
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    private void work() {
        try {
            while (!shutdown) {
                Call<?> call;
                try {
                    call = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    continue;
                } catch (ThreadDeath stray) {
                    // Never expected outside a call (see run); kept from killing the worker all the same.
                    LOG.error("{}: a stop reached a logic thread between calls", name);
                    continue;
                }
                if (call != null && !run(call)) {
                    return; // this thread was given up as stuck and replaced: it leaves the pool
                }
            }
        } finally {
            liveThreads.decrementAndGet();
        }
    }

    /** Runs one call; false when the thread was abandoned meanwhile. */
    private <T> boolean run(Call<T> call) {
        call.thread = Thread.currentThread();
        call.startedNanos = System.nanoTime();
        if (!call.state.compareAndSet(QUEUED, RUNNING)) {
            return true; // stopped while queued
        }
        running.add(call);
        try {
            return runStarted(call);
        } finally {
            running.remove(call);
        }
    }

    private <T> boolean runStarted(Call<T> call) {
        boolean called = false;
        for (;;) {
            try {
                if (!called) {
                    called = true;
                    if (finish(call)) {
                        return true;
                    }
                } else if (call.state.compareAndSet(RUNNING, DONE)) {
                    // A ThreadDeath nobody asked for: the call cannot be trusted to have finished.
                    LOG.error("{}: an unexpected stop reached the logic call of {}", name, call.owner);
                    call.result.completeExceptionally(new IllegalStateException("stopped from outside"));
                    return true;
                }
                // The stopper won: stay inside this try until it has no stop in flight, so no ThreadDeath can
                // land after the thread left the call. Whatever the call returned is discarded.
                for (;;) {
                    int s = call.state.get();
                    if (s == ABANDONED) {
                        stuck.decrementAndGet();
                        Thread.interrupted();
                        return false;
                    }
                    if (s == STOPPING && call.state.compareAndSet(STOPPING, STOPPED)) {
                        Thread.interrupted(); // Thread.stop interrupts too: not for the next call
                        return true;
                    }
                    Thread.onSpinWait();
                }
            } catch (ThreadDeath death) {
                // Expected (the stopper's); the loop above decides from the call's state what happens next.
            }
        }
    }

    /** Calls the work; true when the call finished (its result delivered), false when the stopper won. */
    private <T> boolean finish(Call<T> call) {
        T value = null;
        Throwable failed = null;
        try {
            value = call.work.get();
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable t) { // the worker outlives anything a call throws; the child turns it into a fault
            failed = t;
        }
        if (!call.state.compareAndSet(RUNNING, DONE)) {
            return false;
        }
        if (failed != null) {
            call.result.completeExceptionally(failed);
        } else {
            call.result.complete(value);
        }
        return true;
    }
}
