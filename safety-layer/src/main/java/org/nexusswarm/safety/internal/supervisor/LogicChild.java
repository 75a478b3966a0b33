package org.nexusswarm.safety.internal.supervisor;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.internal.provenance.CauseChain;
import org.nexusswarm.safety.internal.provenance.InputHistory;

/**
 * The actor that runs an entity's pure logic for its supervisor: it holds the logic's state, calls
 * {@link AgentLogic#step} once per input, and hands each returned {@link Intent} to the parent's outbox. The
 * logic sees nothing of this actor.
 *
 * <p>A step is given a budget: it must return within {@code nexus.swarm.safety.step-budget} of wall time and
 * with at most {@code nexus.swarm.safety.max-intents-per-step} intents. A step that throws or exceeds the
 * budget is reported to the parent as a {@link Fault} (its intents dropped) and the child takes no further
 * input; the parent journals the fault, kills the entity and stops this child. A step cannot be pre-empted (the
 * JVM has no safe way to), which is why the child runs on its own dispatcher
 * ({@code nexus.swarm.safety.logic-dispatcher}): a slow logic delays other logics, never the supervisors.
 */
final class LogicChild {

    /**
     * The only message a logic child accepts: one input for the step, with the cause chain of that input (which the
     * logic never sees: the child hands it back with every intent the step returns). Local only, never serialized.
     */
    record Feed(AgentInput input, CauseChain cause) implements NoSerializationVerificationNeeded {
        Feed(AgentInput input) {
            this(input, CauseChain.NONE);
        }
    }

    /**
     * To the parent's outbox: an intent, the cause chain of the input whose step returned it, and the history of
     * every input this incarnation of the logic had processed by then (what it could have remembered).
     */
    record Emitted(Intent intent, CauseChain cause, InputHistory history) implements NoSerializationVerificationNeeded {
        Emitted(Intent intent, CauseChain cause) {
            this(intent, cause, InputHistory.NONE);
        }
    }

    /**
     * Internal, to the parent: the child's logic threw or ran over its budget. Sent only by a local child to its
     * parent: never Kryo-registered, so it cannot arrive through sharding.
     */
    record Fault(ActorRef<Feed> child, String reason) implements org.nexusswarm.actors.protocol.EntityCommand,
            NoSerializationVerificationNeeded {}

    static final String DISPATCHER = "nexus.swarm.safety.logic-dispatcher";

    /**
     * A seam for this package's tests only (package-private, so no pack logic can implement it): a logic that
     * implements it is told the child's reference once it has started, so a test can watch the child stop.
     */
    interface ChildWatch {
        void childStarted(AgentContext context, ActorRef<Feed> child);
    }

    /** The limits one step must keep. */
    record Budget(Duration wallTime, int maxIntents) {
        static Budget from(com.typesafe.config.Config config) {
            return new Budget(config.getDuration("nexus.swarm.safety.step-budget"),
                    config.getInt("nexus.swarm.safety.max-intents-per-step"));
        }
    }

    private LogicChild() {}

    /** The props that put a logic child on its dedicated dispatcher. */
    static DispatcherSelector dispatcher() {
        return DispatcherSelector.fromConfig(DISPATCHER);
    }

    static <S> Behavior<Feed> create(AgentLogic<S> logic, AgentContext agentContext, ActorRef<Emitted> outbox,
            ActorRef<Fault> parent, Budget budget) {
        return Behaviors.setup(ctx -> {
            Runner<S> runner = new Runner<>(logic, budget);
            String problem = runner.start(agentContext);
            if (problem != null) {
                parent.tell(new Fault(ctx.getSelf(), problem));
                return faulted();
            }
            if (logic instanceof ChildWatch watch) {
                watch.childStarted(agentContext, ctx.getSelf());
            }
            return running(runner, outbox, parent);
        });
    }

    private static <S> Behavior<Feed> running(Runner<S> runner, ActorRef<Emitted> outbox, ActorRef<Fault> parent) {
        return Behaviors.receive((ctx, feed) -> {
            CauseChain cause = feed.cause() == null ? CauseChain.NONE : feed.cause();
            InputHistory history = runner.remember(cause);
            Runner.Result result = runner.step(feed.input());
            if (result.fault() != null) {
                parent.tell(new Fault(ctx.getSelf(), result.fault()));
                return faulted();
            }
            result.intents().forEach(intent -> outbox.tell(new Emitted(intent, cause, history)));
            return Behaviors.same();
        });
    }

    /** After a fault the logic gets no more input; the parent stops this child once the fault is journaled. */
    private static Behavior<Feed> faulted() {
        return Behaviors.ignore();
    }

    /**
     * Calls a logic under a budget and keeps its state; no actor involved, so the same code runs a logic live
     * and in tests.
     */
    static final class Runner<S> {
        record Result(List<Intent> intents, String fault) {}

        private final AgentLogic<S> logic;
        private final Budget budget;
        private S state;
        /** Lives exactly as long as {@code state}: what the logic may have remembered came from these. */
        private InputHistory history = InputHistory.NONE;

        Runner(AgentLogic<S> logic, Budget budget) {
            this.logic = logic;
            this.budget = budget;
        }

        /** Initialises the state; returns the fault, or null. */
        String start(AgentContext context) {
            long[] t0 = clocks();
            try {
                state = logic.init(context);
            } catch (Exception | StackOverflowError | OutOfMemoryError | LinkageError e) {
                return "logic fault: init threw " + describe(e);
            }
            return overTime("init", t0);
        }

        /** Records the cause chain of the next input; returns the history including it. */
        InputHistory remember(CauseChain cause) {
            history = history.with(cause);
            return history;
        }

        Result step(AgentInput input) {
            long[] t0 = clocks();
            Step<S> step;
            try {
                step = logic.step(state, input);
            } catch (Exception | StackOverflowError | OutOfMemoryError | LinkageError e) {
                return new Result(List.of(), "logic fault: step threw " + describe(e));
            }
            String late = overTime("step", t0);
            if (late != null) {
                return new Result(List.of(), late);
            }
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

        /**
         * The budget counts the CPU time of the step's thread, so a garbage-collection pause or a preempted thread
         * on a busy node does not kill a healthy logic; wall time is capped too (ten budgets, at least 2 s) in case
         * the thread's CPU time cannot be read or a step waits on something.
         */
        private String overTime(String what, long[] t0) {
            long[] t1 = clocks();
            long budgetMillis = budget.wallTime().toMillis();
            long wallMillis = (t1[0] - t0[0]) / 1_000_000;
            long cpuMillis = t0[1] < 0 || t1[1] < 0 ? wallMillis : (t1[1] - t0[1]) / 1_000_000;
            if (cpuMillis > budgetMillis) {
                return "logic fault: " + what + " took " + cpuMillis + " ms of CPU (budget " + budgetMillis + " ms)";
            }
            if (wallMillis > Math.max(10 * budgetMillis, 2_000)) {
                return "logic fault: " + what + " took " + wallMillis + " ms (wall-time cap "
                        + Math.max(10 * budgetMillis, 2_000) + " ms)";
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

        private static String describe(Throwable e) {
            String message = String.valueOf(e.getMessage());
            if (message.length() > 160) {
                message = message.substring(0, 160) + "...";
            }
            return e.getClass().getSimpleName() + ": " + message;
        }
    }
}
