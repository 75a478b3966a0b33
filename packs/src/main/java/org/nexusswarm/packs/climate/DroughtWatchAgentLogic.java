package org.nexusswarm.packs.climate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.delegators.TaskRuntime;
import org.nexusswarm.orchestrators.ComputeRequest;
import org.nexusswarm.orchestrators.ComputeResult;

/**
 * The logic of a drought-watch agent: for each {@link SoilMoistureReading} it asks the orchestrator for a
 * certified drought index ({@code compute.request}), and when a certified index is above the threshold it
 * raises a {@link DroughtAlert} at the rail node ({@code alert.raise}).
 *
 * <p>It never acts on an uncertified result, nor on a result that does not come from its orchestrator or
 * does not answer one of its own open requests (those are ignored; the supervisor's journal records them as
 * Observed). Caveat: open requests are part of the logic's state, at most {@value #MAX_PENDING} of them (the
 * oldest is forgotten first), so a restart or an orchestrator that never answers only costs alerts, never
 * wrong ones.
 */
public final class DroughtWatchAgentLogic implements AgentLogic<DroughtWatchAgentLogic.State> {

    public static final String VERSION = "drought-watch-agent/1";
    public static final String COMPUTE_ACTION = "compute.request";
    public static final String ALERT_ACTION = "alert.raise";
    public static final double DEFAULT_ALERT_THRESHOLD = 0.6;
    /** Ample for one (moisture, temperature) pair, which costs 4 steps. */
    public static final long DEFAULT_FUEL_BUDGET = 1_000;
    static final int MAX_PENDING = 256;

    /** An open request: its id and the reading it was made for. */
    public record Pending(String requestId, SoilMoistureReading reading) {}

    /**
     * The agent's state; immutable.
     *
     * @param requests how many requests it has made (their ids are numbered, no clock, no randomness)
     * @param pending  open requests, oldest first, at most {@value #MAX_PENDING}
     */
    public record State(AgentContext context, long requests, List<Pending> pending) {
        public State {
            pending = List.copyOf(pending);
        }

        State withRequest(Pending p) {
            List<Pending> next = new ArrayList<>(pending.size() + 1);
            next.addAll(pending.size() >= MAX_PENDING ? pending.subList(pending.size() - MAX_PENDING + 1,
                    pending.size()) : pending);
            next.add(p);
            return new State(context, requests + 1, next);
        }

        State without(String requestId) {
            return new State(context, requests, pending.stream().filter(p -> !p.requestId().equals(requestId))
                    .toList());
        }

        java.util.Optional<Pending> find(String requestId) {
            return pending.stream().filter(p -> p.requestId().equals(requestId)).findFirst();
        }
    }

    private final EntityAddress orchestrator;
    private final EntityAddress node;
    private final double alertThreshold;
    private final long fuelBudget;

    private DroughtWatchAgentLogic(EntityAddress orchestrator, EntityAddress node, double alertThreshold,
                                   long fuelBudget) {
        this.orchestrator = orchestrator;
        this.node = node;
        this.alertThreshold = alertThreshold;
        this.fuelBudget = fuelBudget;
    }

    /** An agent with the default threshold (0.6) and fuel budget. */
    public static DroughtWatchAgentLogic logic(EntityAddress orchestrator, EntityAddress node) {
        return logic(orchestrator, node, DEFAULT_ALERT_THRESHOLD, DEFAULT_FUEL_BUDGET);
    }

    /** An agent that alerts when a certified index is strictly above {@code alertThreshold}. */
    public static DroughtWatchAgentLogic logic(EntityAddress orchestrator, EntityAddress node, double alertThreshold,
                                               long fuelBudget) {
        if (orchestrator == null || node == null) {
            throw new IllegalArgumentException("orchestrator and node are required");
        }
        if (!(alertThreshold >= 0.0 && alertThreshold <= 1.0) || fuelBudget < 1) {
            throw new IllegalArgumentException("need a threshold in [0,1] and a positive fuel budget");
        }
        return new DroughtWatchAgentLogic(orchestrator, node, alertThreshold, fuelBudget);
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Set<Class<? extends SwarmMessage>> accepts() {
        return Set.of(SoilMoistureReading.class, ComputeResult.class);
    }

    /** Requests go out as compute.request; alerts as alert.raise, with the drought index policy can bound. */
    @Override
    public List<PayloadSchema> payloads() {
        return PAYLOADS;
    }

    /** What it sends: compute requests, and alerts whose {@code index} policy bounds. */
    static final List<PayloadSchema> PAYLOADS = List.of(PayloadSchema.of(ComputeRequest.class, COMPUTE_ACTION),
            PayloadSchema.of(DroughtAlert.class, ALERT_ACTION, "index"));

    @Override
    public State init(AgentContext context) {
        return new State(context, 0, List.of());
    }

    @Override
    public Step<State> step(State state, AgentInput input) {
        if (input instanceof AgentInput.Inbound in) {
            if (in.payload() instanceof SoilMoistureReading reading) {
                return onReading(state, reading);
            }
            if (in.payload() instanceof ComputeResult result
                    && in.fromEntity().filter(orchestrator::equals).isPresent()) {
                return onResult(state, result);
            }
            return Step.of(state);
        }
        AgentInput.Outcome outcome = (AgentInput.Outcome) input;
        if (!outcome.allowed() && outcome.intentId().startsWith("compute/")) {
            // No answer will come for a request that never left; free its slot.
            return Step.of(state.without(outcome.intentId().substring("compute/".length())));
        }
        return Step.of(state);
    }

    private Step<State> onReading(State state, SoilMoistureReading reading) {
        // Deterministic ids (no clock, no randomness) so a replay of the same inputs makes the same requests.
        String requestId = state.context().self().id() + "/day-" + reading.day() + "/" + (state.requests() + 1);
        ComputeRequest request = new ComputeRequest(requestId, TaskRuntime.DROUGHT_INDEX,
                List.of(reading.moisturePct(), reading.temperatureC()), fuelBudget);
        return Step.of(state.withRequest(new Pending(requestId, reading)),
                new Intent("compute/" + requestId, COMPUTE_ACTION, orchestrator, request));
    }

    private Step<State> onResult(State state, ComputeResult result) {
        var found = state.find(result.requestId());
        if (found.isEmpty()) {
            return Step.of(state);
        }
        State next = state.without(result.requestId());
        SoilMoistureReading reading = found.get().reading();
        if (!result.certified() || !(result.value() > alertThreshold)) {
            return Step.of(next);
        }
        DroughtAlert alert = new DroughtAlert(reading.cell(), state.context().self().toString(), result.value(),
                reading.day(), result.outputDigest());
        return Step.of(next, new Intent("alert/" + result.requestId(), ALERT_ACTION, node, alert));
    }
}
