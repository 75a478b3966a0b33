package org.nexusswarm.delegators;

import java.util.Optional;
import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.Step;

/**
 * The logic of a proof delegator: runs each {@link TaskRequest} it receives in the {@link TaskRuntime} and
 * answers the sender with a {@code task.result} intent carrying the {@link TaskResult}.
 *
 * <p>Stateless apart from an intent counter, so a restart loses nothing. Requests from a sender that is not
 * an entity (e.g. a signal feed) are dropped, because there is no address to answer. The work is bounded by
 * the request's fuel budget (capped at the logic's maximum), which keeps the step within its time budget.
 * Caveat: results are not yet signed; the attestation signature is added by a later stage.
 */
public final class DelegatorLogic implements AgentLogic<DelegatorLogic.State> {

    public static final String VERSION = "delegator/1";
    public static final String FAULTY_VERSION = "delegator-faulty/1";
    /** The action class of the answer; a delegator's credential must allow it. */
    public static final String RESULT_ACTION = "task.result";
    /**
     * No request may buy more fuel than this. A logic reads no configuration, so this is a parameter of the
     * logic (it used to be read from {@code nexus.swarm.delegators.max-fuel-budget}, whose default it keeps).
     */
    public static final long DEFAULT_MAX_FUEL = 1_000_000;

    /** Immutable: the delegator's address and how many intents it has made. */
    public record State(EntityAddress self, long intents) {}

    private final TaskRuntime runtime = TaskRuntime.standard();
    private final String version;
    /** Added to every completed value; 0 for an honest delegator. */
    private final double bias;
    private final long maxFuel;

    private DelegatorLogic(String version, double bias, long maxFuel) {
        this.version = version;
        this.bias = bias;
        this.maxFuel = maxFuel;
    }

    /** An honest delegator. */
    public static DelegatorLogic logic() {
        return logic(DEFAULT_MAX_FUEL);
    }

    /** An honest delegator that caps every request at {@code maxFuel}. */
    public static DelegatorLogic logic(long maxFuel) {
        if (maxFuel < 1) {
            throw new IllegalArgumentException("maxFuel must be positive, got " + maxFuel);
        }
        return new DelegatorLogic(VERSION, 0.0, maxFuel);
    }

    /**
     * A faulty delegator for tests and demos: it adds {@code bias} to every completed value and digests the
     * wrong value consistently, so only a quorum of honest replicas can expose it.
     */
    public static DelegatorLogic faulty(double bias) {
        if (bias == 0.0 || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("a faulty delegator needs a finite, non-zero bias, got " + bias);
        }
        return new DelegatorLogic(FAULTY_VERSION, bias, DEFAULT_MAX_FUEL);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Set<Class<? extends SwarmMessage>> accepts() {
        return Set.of(TaskRequest.class);
    }

    /** It answers only with task results, as task.result. */
    @Override
    public java.util.List<PayloadSchema> payloads() {
        return java.util.List.of(PayloadSchema.of(TaskResult.class, RESULT_ACTION));
    }

    @Override
    public State init(AgentContext context) {
        return new State(context.self(), 0);
    }

    @Override
    public Step<State> step(State state, AgentInput input) {
        // Outcomes need nothing: a denied result is a missing replica, and the requester's quorum decides
        // without it.
        if (!(input instanceof AgentInput.Inbound in) || !(in.payload() instanceof TaskRequest request)) {
            return Step.of(state);
        }
        Optional<EntityAddress> sender = in.fromEntity();
        if (sender.isEmpty()) {
            return Step.of(state);
        }
        TaskRequest capped = request.fuelBudget() <= maxFuel ? request
                : new TaskRequest(request.taskId(), request.taskKind(), request.inputs(), maxFuel);
        TaskResult result = falsify(runtime.run(capped, state.self().toString()), request);
        long n = state.intents() + 1;
        String intentId = state.self().id() + "/result-" + n;
        return Step.of(new State(state.self(), n), new Intent(intentId, RESULT_ACTION, sender.get(), result));
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
}
