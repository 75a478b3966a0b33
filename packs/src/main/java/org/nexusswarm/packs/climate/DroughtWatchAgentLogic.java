package org.nexusswarm.packs.climate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.nexusswarm.delegators.TaskRuntime;
import org.nexusswarm.orchestrators.ComputeRequest;
import org.nexusswarm.orchestrators.ComputeResult;

/**
 * The logic of a drought-watch agent: for each {@link SoilMoistureReading} it asks the orchestrator for a
 * certified drought index ({@code compute.request}), and when a certified index is above the threshold it
 * raises a {@link DroughtAlert} at the rail node ({@code alert.raise}).
 *
 * <p>It never acts on an uncertified result, nor on a result that does not come from its orchestrator or
 * does not answer one of its own open requests. Caveat: open requests live in memory, at most
 * {@value #MAX_PENDING} of them (the oldest is forgotten first), so a restart or an orchestrator that never
 * answers only costs alerts, never wrong ones.
 */
public final class DroughtWatchAgentLogic extends AbstractBehavior<LogicInput> {

    public static final String VERSION = "drought-watch-agent/1";
    public static final String COMPUTE_ACTION = "compute.request";
    public static final String ALERT_ACTION = "alert.raise";
    public static final double DEFAULT_ALERT_THRESHOLD = 0.6;
    /** Ample for one (moisture, temperature) pair, which costs 4 steps. */
    public static final long DEFAULT_FUEL_BUDGET = 1_000;
    static final int MAX_PENDING = 256;

    private final LogicContext logicContext;
    private final EntityAddress orchestrator;
    private final EntityAddress node;
    private final double alertThreshold;
    private final long fuelBudget;
    private final Map<String, SoilMoistureReading> pending = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SoilMoistureReading> eldest) {
            return size() > MAX_PENDING;
        }
    };
    private long requests;

    private DroughtWatchAgentLogic(ActorContext<LogicInput> context, LogicContext logicContext,
                                   EntityAddress orchestrator, EntityAddress node, double alertThreshold,
                                   long fuelBudget) {
        super(context);
        this.logicContext = logicContext;
        this.orchestrator = orchestrator;
        this.node = node;
        this.alertThreshold = alertThreshold;
        this.fuelBudget = fuelBudget;
    }

    /** An agent with the default threshold (0.6) and fuel budget. */
    public static EntityLogic logic(EntityAddress orchestrator, EntityAddress node) {
        return logic(orchestrator, node, DEFAULT_ALERT_THRESHOLD, DEFAULT_FUEL_BUDGET);
    }

    /** An agent that alerts when a certified index is strictly above {@code alertThreshold}. */
    public static EntityLogic logic(EntityAddress orchestrator, EntityAddress node, double alertThreshold,
                                    long fuelBudget) {
        if (orchestrator == null || node == null) {
            throw new IllegalArgumentException("orchestrator and node are required");
        }
        if (!(alertThreshold >= 0.0 && alertThreshold <= 1.0) || fuelBudget < 1) {
            throw new IllegalArgumentException("need a threshold in [0,1] and a positive fuel budget");
        }
        return EntityLogic.of(VERSION, ctx -> Behaviors.setup(context ->
                new DroughtWatchAgentLogic(context, ctx, orchestrator, node, alertThreshold, fuelBudget)));
    }

    @Override
    public Receive<LogicInput> createReceive() {
        return newReceiveBuilder()
                .onMessage(LogicInput.Inbound.class, this::onInbound)
                .onMessage(LogicInput.IntentOutcome.class, this::onOutcome)
                .build();
    }

    private Behavior<LogicInput> onInbound(LogicInput.Inbound in) {
        if (in.payload() instanceof SoilMoistureReading reading) {
            onReading(reading);
        } else if (in.payload() instanceof ComputeResult result) {
            if (in.fromEntity().filter(orchestrator::equals).isPresent()) {
                onResult(result);
            } else {
                getContext().getLog().warn("compute result {} from {} is not from {}; ignored",
                        result.requestId(), in.from(), orchestrator);
            }
        }
        return this;
    }

    private void onReading(SoilMoistureReading reading) {
        // Deterministic ids (no clock, no randomness) so a replay of the same inputs makes the same requests.
        String requestId = logicContext.self().id() + "/day-" + reading.day() + "/" + (++requests);
        pending.put(requestId, reading);
        ComputeRequest request = new ComputeRequest(requestId, TaskRuntime.DROUGHT_INDEX,
                List.of(reading.moisturePct(), reading.temperatureC()), fuelBudget);
        logicContext.outbox().tell(new Intent("compute/" + requestId, COMPUTE_ACTION, orchestrator, request));
    }

    private void onResult(ComputeResult result) {
        SoilMoistureReading reading = pending.remove(result.requestId());
        if (reading == null) {
            getContext().getLog().debug("result for unknown request {} ignored", result.requestId());
            return;
        }
        if (!result.certified()) {
            getContext().getLog().warn("no quorum for {} (dissenters {}); no action", result.requestId(),
                    result.dissenters());
            return;
        }
        if (result.value() > alertThreshold) {
            DroughtAlert alert = new DroughtAlert(reading.cell(), logicContext.self().toString(), result.value(),
                    reading.day(), result.outputDigest());
            logicContext.outbox().tell(new Intent("alert/" + result.requestId(), ALERT_ACTION, node, alert));
        }
    }

    private Behavior<LogicInput> onOutcome(LogicInput.IntentOutcome outcome) {
        if (!outcome.allowed()) {
            getContext().getLog().warn("intent {} denied: {}", outcome.intentId(), outcome.reason());
            if (outcome.intentId().startsWith("compute/")) {
                // No answer will come for a request that never left; free its slot.
                pending.remove(outcome.intentId().substring("compute/".length()));
            }
        }
        return this;
    }
}
