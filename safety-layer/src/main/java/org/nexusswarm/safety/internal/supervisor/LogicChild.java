package org.nexusswarm.safety.internal.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.internal.provenance.CauseChain;
import org.nexusswarm.safety.internal.provenance.InputHistory;

/**
 * The actor that runs an entity's pure logic for its supervisor: it holds the logic's state, has
 * {@link AgentLogic#step} called once per input, and hands each returned {@link Intent} to the parent's outbox. The
 * logic sees nothing of this actor.
 *
 * <p>No pack code runs on this actor's thread: every call into the logic (each step, and {@code version()},
 * {@code accepts()}, {@code payloads()} and {@code init} once per start) runs on a thread of the node's
 * {@link LogicWatchdog}, and the child waits for it without blocking ({@code pipeToSelf}), stashing further input
 * while a call runs. What the start declares reaches the parent as {@link Ready}.
 *
 * <p>A call is given a budget: at most {@code nexus.swarm.safety.step-budget} of its thread's CPU time, and at most
 * {@code max-intents-per-step} intents. A call that throws, returns over budget, or is still running when its
 * wall-time cap runs out (ten budgets, at least {@code step-wall-cap-min}, counted from when a thread took it up) is
 * reported to the parent as a {@link Fault} and the child takes no further input; the parent journals the fault,
 * kills the entity and stops this child. A call still running at the cap is stopped by the watchdog (a step that
 * never returns holds one watchdog thread for at most the cap); whatever it returns later is discarded.
 */
final class LogicChild {

    /**
     * One input for the step, with the cause chain of that input (which the logic never sees: the child hands it
     * back with every intent the step returns). Local only, never serialized.
     */
    record Feed(AgentInput input, CauseChain cause) implements Command {
        Feed(AgentInput input) {
            this(input, CauseChain.NONE);
        }
    }

    /** What the child accepts: inputs from its parent, and its own internal messages. */
    sealed interface Command extends NoSerializationVerificationNeeded
            permits Feed, Started, Stepped, Overrun, Failed {}

    /** Internal: the start call finished (on a watchdog thread). */
    private record Started<S>(LogicWatchdog.Call<?> call, Runner.Measured<Runner.Opening<S>> outcome)
            implements Command {}

    /** Internal: a step call finished (on a watchdog thread). */
    private record Stepped<S>(LogicWatchdog.Call<?> call, Runner.Measured<Step<S>> outcome, CauseChain cause,
            InputHistory history) implements Command {}

    /** Internal: a call ended without a result (the watchdog's, not the logic's: logic failures are measured). */
    private record Failed(LogicWatchdog.Call<?> call, Throwable failure) implements Command {}

    /** Internal: the wall-time timer of {@code call} fired. */
    private record Overrun(LogicWatchdog.Call<?> call) implements Command {}

    /**
     * To the parent's outbox: an intent, the cause chain of the input whose step returned it, and the history of
     * every input this incarnation of the logic had processed by then (what it could have remembered).
     */
    record Emitted(Intent intent, CauseChain cause, InputHistory history) implements NoSerializationVerificationNeeded {
        Emitted(Intent intent, CauseChain cause) {
            this(intent, cause, InputHistory.NONE);
        }
    }

    /** Internal, to the parent: never Kryo-registered, so it cannot arrive through sharding. */
    sealed interface ToParent extends org.nexusswarm.actors.protocol.EntityCommand, NoSerializationVerificationNeeded
            permits Ready, Fault {}

    /** Internal, to the parent: the logic started; what it declared about itself, read once per start. */
    record Ready(ActorRef<Feed> child, Declarations declarations) implements ToParent {}

    /** Internal, to the parent: the child's logic threw or ran over its budget. */
    record Fault(ActorRef<Feed> child, String reason) implements ToParent {}

    /**
     * What a logic declares about itself, read once per start on a watchdog thread: its version, the inbound
     * payload types it takes (empty: any; a declaration that throws accepts nothing) and its payload schemas.
     */
    record Declarations(String version, Predicate<Class<?>> accepts, PayloadParameters payloads) {}

    static final String DISPATCHER = "nexus.swarm.safety.logic-dispatcher";

    /**
     * A seam for this package's tests only (package-private, so no pack logic can implement it): a logic that
     * implements it is told the child's reference once it has started, so a test can watch the child stop.
     */
    interface ChildWatch {
        void childStarted(AgentContext context, ActorRef<Feed> child);
    }

    /**
     * The limits one call must keep: CPU time, intents, and the wall-time cap beyond which a call still running is
     * stopped (ten CPU budgets, at least {@code wallCapMin}).
     */
    record Budget(Duration wallTime, int maxIntents, Duration wallCapMin, int inputQueue) {
        Budget(Duration wallTime, int maxIntents) {
            this(wallTime, maxIntents, Duration.ofSeconds(2), 10_000);
        }

        static Budget from(com.typesafe.config.Config config) {
            return new Budget(config.getDuration("nexus.swarm.safety.step-budget"),
                    config.getInt("nexus.swarm.safety.max-intents-per-step"),
                    config.getDuration("nexus.swarm.safety.step-wall-cap-min"),
                    config.getInt("nexus.swarm.safety.logic-input-queue"));
        }

        Duration wallCap() {
            Duration tenBudgets = wallTime.multipliedBy(10);
            return tenBudgets.compareTo(wallCapMin) > 0 ? tenBudgets : wallCapMin;
        }
    }

    private LogicChild() {}

    /** The props that put a logic child on its dedicated dispatcher. */
    static DispatcherSelector dispatcher() {
        return DispatcherSelector.fromConfig(DISPATCHER);
    }

    static <S> Behavior<Feed> create(AgentLogic<S> logic, AgentContext agentContext, ActorRef<Emitted> outbox,
            ActorRef<? super ToParent> parent, Budget budget) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                Behaviors.withStash(budget.inputQueue(), stash -> {
                    Runner<S> runner = new Runner<>(logic, budget);
                    Child<S> child = new Child<>(ctx, timers, stash, runner, LogicWatchdog.get(ctx.getSystem()),
                            String.valueOf(agentContext.self()), outbox, parent.narrow());
                    return child.start(agentContext);
                })));
        return behavior.narrow();
    }

    /** The child's behaviours: starting, idle, stepping, faulted. One call in flight at most. */
    private static final class Child<S> {
        private final ActorContext<Command> ctx;
        private final TimerScheduler<Command> timers;
        private final StashBuffer<Command> stash;
        private final Runner<S> runner;
        private final LogicWatchdog watchdog;
        private final String owner;
        private final ActorRef<Emitted> outbox;
        private final ActorRef<ToParent> parent;
        private ActorRef<Feed> self;
        /** The call in flight, if any: stopped if this child goes away before it returns. */
        private LogicWatchdog.Call<?> inFlight;

        Child(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash, Runner<S> runner,
                LogicWatchdog watchdog, String owner, ActorRef<Emitted> outbox, ActorRef<ToParent> parent) {
            this.ctx = ctx;
            this.timers = timers;
            this.stash = stash;
            this.runner = runner;
            this.watchdog = watchdog;
            this.owner = owner;
            this.outbox = outbox;
            this.parent = parent;
            this.self = ctx.getSelf().narrow();
        }

        Behavior<Command> start(AgentContext agentContext) {
            LogicWatchdog.Call<Runner.Measured<Runner.Opening<S>>> call =
                    watchdog.submit(owner, () -> runner.callStart(agentContext));
            track(call, outcome -> new Started<>(call, outcome));
            return waiting(call, "start");
        }

        private <T> void track(LogicWatchdog.Call<T> call, java.util.function.Function<T, Command> done) {
            inFlight = call;
            ctx.pipeToSelf(call.result(), (value, failure) -> failure == null ? done.apply(value)
                    : new Failed(call, failure));
            timers.startSingleTimer(call, new Overrun(call), runner.budget().wallCap());
        }

        /** A call is running: further input waits in the stash; the call's result or its overrun decides. */
        private Behavior<Command> waiting(LogicWatchdog.Call<?> call, String what) {
            return Behaviors.receive(Command.class)
                    .onMessage(Feed.class, feed -> {
                        if (stash.isFull()) {
                            return fault("logic fault: " + stash.size() + " inputs wait for a " + what
                                    + " still running");
                        }
                        stash.stash(feed);
                        return Behaviors.same();
                    })
                    .onMessage(Started.class, started -> started.call() == call ? onStarted(cast(started))
                            : Behaviors.same())
                    .onMessage(Stepped.class, stepped -> stepped.call() == call ? onStepped(cast(stepped))
                            : Behaviors.same())
                    .onMessage(Overrun.class, overrun -> onOverrun(call, overrun, what))
                    .onMessage(Failed.class, failed -> failed.call() != call ? Behaviors.same()
                            : fault("logic fault: " + what + " ended without a result ("
                                    + Runner.describe(failed.failure()) + ")"))
                    .onSignal(PostStop.class, signal -> abandonInFlight())
                    .build();
        }

        @SuppressWarnings("unchecked")
        private static <T> T cast(Object message) {
            return (T) message;
        }

        private Behavior<Command> onOverrun(LogicWatchdog.Call<?> call, Overrun overrun, String what) {
            if (overrun.call() != call || call.finished()) {
                return Behaviors.same(); // its result is in the mailbox
            }
            Duration cap = runner.budget().wallCap();
            Duration running = call.running();
            if (running.compareTo(cap) < 0) {
                // It waited for a thread: the cap counts from when a thread took it up.
                timers.startSingleTimer(call, new Overrun(call), cap.minus(running));
                return Behaviors.same();
            }
            call.stop();
            inFlight = null;
            return fault("logic fault: " + what + " still running after " + running.toMillis()
                    + " ms (wall-time cap " + cap.toMillis() + " ms); stopped");
        }

        private Behavior<Command> onStarted(Started<S> started) {
            settle(started.call());
            String problem = runner.acceptStart(started.outcome());
            if (problem != null) {
                return fault(problem);
            }
            parent.tell(new Ready(self, started.outcome().value().declarations()));
            if (runner.logic() instanceof ChildWatch watch) {
                watch.childStarted(started.outcome().value().context(), self);
            }
            return stash.unstashAll(idle());
        }

        private Behavior<Command> idle() {
            return Behaviors.receive(Command.class)
                    .onMessage(Feed.class, this::step)
                    .onSignal(PostStop.class, signal -> abandonInFlight())
                    .build();
        }

        private Behavior<Command> step(Feed feed) {
            CauseChain cause = feed.cause() == null ? CauseChain.NONE : feed.cause();
            InputHistory history = runner.remember(cause);
            LogicWatchdog.Call<Runner.Measured<Step<S>>> call =
                    watchdog.submit(owner, runner.stepCall(feed.input()));
            track(call, outcome -> new Stepped<>(call, outcome, cause, history));
            return waiting(call, "step");
        }

        private Behavior<Command> onStepped(Stepped<S> stepped) {
            settle(stepped.call());
            Runner.Result result = runner.acceptStep(stepped.outcome());
            if (result.fault() != null) {
                return fault(result.fault());
            }
            result.intents().forEach(intent -> outbox.tell(new Emitted(intent, stepped.cause(), stepped.history())));
            return stash.unstashAll(idle());
        }

        private void settle(LogicWatchdog.Call<?> call) {
            timers.cancel(call);
            inFlight = null;
        }

        private Behavior<Command> fault(String reason) {
            parent.tell(new Fault(self, reason));
            return faulted();
        }

        /** After a fault the logic gets no more input; the parent stops this child once the fault is journaled. */
        private Behavior<Command> faulted() {
            return Behaviors.receive(Command.class)
                    .onAnyMessage(m -> Behaviors.same())
                    .onSignal(PostStop.class, signal -> abandonInFlight())
                    .build();
        }

        /** Going away with a call in flight: its result is of no use, but it is not let run past its cap. */
        private Behavior<Command> abandonInFlight() {
            if (inFlight != null) {
                inFlight.stopWhenOver(runner.budget().wallCap());
                inFlight = null;
            }
            return Behaviors.same();
        }
    }

    /**
     * Calls a logic under a budget and keeps its state; no actor involved, so the same code runs a logic live and in
     * tests. The {@code call...} methods run pack code and measure it (on a watchdog thread, live); the
     * {@code accept...} methods judge what a call produced (on the child's thread). A call caught mid-way by the
     * watchdog never reaches {@code accept}, so the state is only ever replaced by a step that returned in time.
     */
    static final class Runner<S> {
        record Result(List<Intent> intents, String fault) {}

        /** What one call produced, or what it threw, with the wall and CPU time of the thread that ran it. */
        record Measured<T>(T value, String thrown, long wallNanos, long cpuNanos, String rejected) {}

        /** What a start produced: the logic's declarations and its initial state. */
        record Opening<S>(Declarations declarations, S state, AgentContext context) {}

        private final AgentLogic<S> logic;
        private final Budget budget;
        private S state;
        /** Lives exactly as long as {@code state}: what the logic may have remembered came from these. */
        private InputHistory history = InputHistory.NONE;

        Runner(AgentLogic<S> logic, Budget budget) {
            this.logic = logic;
            this.budget = budget;
        }

        AgentLogic<S> logic() {
            return logic;
        }

        Budget budget() {
            return budget;
        }

        /** Initialises the state on the calling thread; returns the fault, or null. */
        String start(AgentContext context) {
            return acceptStart(callStart(context));
        }

        /** One step on the calling thread. */
        Result step(AgentInput input) {
            return acceptStep(stepCall(input).get());
        }

        /**
         * Pack code: reads the logic's declarations and its initial state. A declaration that throws an exception is
         * tolerated as before (version unreadable, nothing accepted, no payload declared); anything else is a fault.
         */
        Measured<Opening<S>> callStart(AgentContext context) {
            return measure("init", () -> {
                String version;
                try {
                    version = String.valueOf(logic.version());
                } catch (RuntimeException e) {
                    version = "(version unreadable: " + e.getClass().getSimpleName() + ")";
                }
                Predicate<Class<?>> accepts;
                try {
                    java.util.Set<Class<?>> declared = java.util.Set.copyOf(logic.accepts());
                    accepts = declared.isEmpty() ? type -> true : declared::contains;
                } catch (RuntimeException e) {
                    accepts = type -> false;
                }
                PayloadParameters payloads;
                try {
                    payloads = PayloadParameters.of(version, List.copyOf(logic.payloads()));
                } catch (RuntimeException e) {
                    payloads = PayloadParameters.broken(version, "its payload declarations fail: "
                            + e.getClass().getSimpleName());
                }
                S initial = logic.init(context);
                return new Opening<>(new Declarations(version, accepts, payloads), initial, context);
            });
        }

        /** Takes the measured start; returns the fault, or null. */
        String acceptStart(Measured<Opening<S>> started) {
            if (started.thrown() != null) {
                return "logic fault: init threw " + started.thrown();
            }
            String late = overTime("init", started);
            if (late != null) {
                return late;
            }
            state = started.value().state();
            return null;
        }

        /** Records the cause chain of the next input; returns the history including it. */
        InputHistory remember(CauseChain cause) {
            history = history.with(cause);
            return history;
        }

        /** Pack code, to run on another thread: one step from the current state (captured now). */
        java.util.function.Supplier<Measured<Step<S>>> stepCall(AgentInput input) {
            S current = state;
            int maxIntents = budget.maxIntents();
            return () -> measure("step", () -> StepShape.copy(logic.step(current, input), maxIntents));
        }

        Result acceptStep(Measured<Step<S>> measured) {
            if (measured.rejected() != null) {
                return new Result(List.of(), "logic fault: " + measured.rejected());
            }
            if (measured.thrown() != null) {
                return new Result(List.of(), "logic fault: step threw " + measured.thrown());
            }
            String late = overTime("step", measured);
            if (late != null) {
                return new Result(List.of(), late);
            }
            Step<S> step = measured.value();
            if (step == null) {
                return new Result(List.of(), "logic fault: step returned null");
            }
            if (step.intents().size() > budget.maxIntents()) {
                return new Result(List.of(), "logic fault: step returned " + step.intents().size()
                        + " intents (limit " + budget.maxIntents() + ")");
            }
            state = step.state();
            return new Result(step.intents(), null);
        }

        private static <T> Measured<T> measure(String what, java.util.function.Supplier<T> call) {
            long[] t0 = clocks();
            T value = null;
            String thrown = null;
            String rejected = null;
            try {
                value = call.get();
            } catch (StepShape.Violation v) {
                rejected = v.getMessage();
            } catch (Exception | StackOverflowError | OutOfMemoryError | LinkageError e) {
                thrown = describe(e);
            }
            long[] t1 = clocks();
            long cpu = t0[1] < 0 || t1[1] < 0 ? -1 : t1[1] - t0[1];
            return new Measured<>(value, thrown, t1[0] - t0[0], cpu, rejected);
        }

        /**
         * The budget counts the CPU time of the call's thread, so a garbage-collection pause or a preempted thread
         * on a busy node does not kill a healthy logic; wall time is capped too (see {@link Budget#wallCap}) in case
         * the thread's CPU time cannot be read or a call waits on something.
         */
        private String overTime(String what, Measured<?> m) {
            long budgetMillis = budget.wallTime().toMillis();
            long wallMillis = m.wallNanos() / 1_000_000;
            long cpuMillis = m.cpuNanos() < 0 ? wallMillis : m.cpuNanos() / 1_000_000;
            if (cpuMillis > budgetMillis) {
                return "logic fault: " + what + " took " + cpuMillis + " ms of CPU (budget " + budgetMillis + " ms)";
            }
            long capMillis = budget.wallCap().toMillis();
            if (wallMillis > capMillis) {
                return "logic fault: " + what + " took " + wallMillis + " ms (wall-time cap " + capMillis + " ms)";
            }
            return null;
        }

        private static final java.lang.management.ThreadMXBean THREADS =
                java.lang.management.ManagementFactory.getThreadMXBean();

        /** Wall time and this thread's CPU time (-1 when the JVM cannot measure it), in nanoseconds. */
        private static long[] clocks() {
            long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
            return new long[] {System.nanoTime(), cpu};
        }

        static String describe(Throwable e) {
            String message = String.valueOf(e.getMessage());
            if (message.length() > 160) {
                message = message.substring(0, 160) + "...";
            }
            return e.getClass().getSimpleName() + ": " + message;
        }
    }
}
