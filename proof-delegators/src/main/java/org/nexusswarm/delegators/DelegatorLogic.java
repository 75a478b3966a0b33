package org.nexusswarm.delegators;

import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.EntityLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;

/**
 * The logic of a proof delegator: runs each {@link TaskRequest} it receives in the {@link TaskRuntime} and
 * answers the sender with a {@code task.result} intent carrying the {@link TaskResult}.
 *
 * <p>Stateless apart from an intent counter, so a restart loses nothing. Requests from a sender that is not
 * an entity (e.g. a signal feed) are dropped, because there is no address to answer. The work is bounded by
 * the request's fuel budget, which is what keeps this synchronous computation from blocking the actor for
 * long. Caveat: results are not yet signed; the attestation signature is added by a later stage.
 */
public final class DelegatorLogic extends AbstractBehavior<LogicInput> {

    public static final String VERSION = "delegator/1";
    public static final String FAULTY_VERSION = "delegator-faulty/1";
    /** The action class of the answer; a delegator's credential must allow it. */
    public static final String RESULT_ACTION = "task.result";

    private final LogicContext logicContext;
    private final TaskRuntime runtime;
    /** Added to every completed value; 0 for an honest delegator. */
    private final double bias;
    /** From {@code nexus.swarm.delegators.max-fuel-budget}: no request may buy more fuel than this. */
    private final long maxFuel;
    private long intents;

    private DelegatorLogic(ActorContext<LogicInput> context, LogicContext logicContext, double bias) {
        super(context);
        this.logicContext = logicContext;
        this.runtime = TaskRuntime.standard();
        this.bias = bias;
        this.maxFuel = context.getSystem().settings().config().getLong("nexus.swarm.delegators.max-fuel-budget");
    }

    /** An honest delegator. */
    public static EntityLogic logic() {
        return EntityLogic.of(VERSION, ctx -> create(ctx, 0.0));
    }

    /**
     * A faulty delegator for tests and demos: it adds {@code bias} to every completed value and digests the
     * wrong value consistently, so only a quorum of honest replicas can expose it.
     */
    public static EntityLogic faulty(double bias) {
        if (bias == 0.0 || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("a faulty delegator needs a finite, non-zero bias, got " + bias);
        }
        return EntityLogic.of(FAULTY_VERSION, ctx -> create(ctx, bias));
    }

    private static Behavior<LogicInput> create(LogicContext ctx, double bias) {
        return Behaviors.setup(context -> new DelegatorLogic(context, ctx, bias));
    }

    @Override
    public Receive<LogicInput> createReceive() {
        return newReceiveBuilder()
                .onMessage(LogicInput.Inbound.class, this::onInbound)
                .onMessage(LogicInput.IntentOutcome.class, this::onOutcome)
                .build();
    }

    private Behavior<LogicInput> onInbound(LogicInput.Inbound in) {
        if (!(in.payload() instanceof TaskRequest request)) {
            getContext().getLog().debug("ignoring {} from {}", in.payload().getClass().getSimpleName(), in.from());
            return this;
        }
        Optional<EntityAddress> sender = in.fromEntity();
        if (sender.isEmpty()) {
            getContext().getLog().warn("dropping task {} from non-entity sender {}", request.taskId(), in.from());
            return this;
        }
        TaskRequest capped = request.fuelBudget() <= maxFuel ? request
                : new TaskRequest(request.taskId(), request.taskKind(), request.inputs(), maxFuel);
        TaskResult result = falsify(runtime.run(capped, logicContext.self().toString()), request);
        String intentId = logicContext.self().id() + "/result-" + (++intents);
        logicContext.outbox().tell(new Intent(intentId, RESULT_ACTION, sender.get(), result));
        return this;
    }

    private TaskResult falsify(TaskResult honest, TaskRequest request) {
        if (bias == 0.0 || !honest.completed()) {
            return honest;
        }
        double wrong = honest.value() + bias;
        return new TaskResult(honest.taskId(), honest.taskKind(), wrong,
                TaskRuntime.outputDigest(request.taskKind(), request.inputs(), wrong),
                honest.fuelUsed(), true, honest.delegator());
    }

    private Behavior<LogicInput> onOutcome(LogicInput.IntentOutcome outcome) {
        if (!outcome.allowed()) {
            // Nothing to retry: the requester sees a missing replica and its quorum decides without us.
            getContext().getLog().warn("result intent {} denied: {}", outcome.intentId(), outcome.reason());
        }
        return this;
    }
}
