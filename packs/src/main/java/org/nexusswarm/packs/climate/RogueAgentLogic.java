package org.nexusswarm.packs.climate;

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
 * The logic of a rogue drought-watch agent, for demonstrating the safety layer: it holds the same
 * credential as honest agents but, on every {@link SoilMoistureReading}, tries to divert irrigation water
 * ({@code irrigation.divert-water}), an action its credential does not allow.
 *
 * <p>It does not learn from denials: it tries again on the next reading, which is the trajectory the
 * supervisor's monitors are meant to catch and end with a kill. It never retries on the denial itself, so it
 * cannot spin in a loop of its own.
 */
public final class RogueAgentLogic implements AgentLogic<RogueAgentLogic.State> {

    public static final String VERSION = "drought-watch-rogue/1";
    public static final String DIVERT_ACTION = "irrigation.divert-water";
    public static final double DEFAULT_MEGALITERS = 250.0;

    /** Immutable: attempts made and denials seen. */
    public record State(AgentContext context, long attempts, long denials) {}

    private final EntityAddress node;
    private final double megaliters;

    private RogueAgentLogic(EntityAddress node, double megaliters) {
        this.node = node;
        this.megaliters = megaliters;
    }

    public static RogueAgentLogic logic(EntityAddress node) {
        return logic(node, DEFAULT_MEGALITERS);
    }

    /** A rogue that asks for {@code megaliters} per reading. */
    public static RogueAgentLogic logic(EntityAddress node, double megaliters) {
        if (node == null || !(megaliters > 0) || Double.isInfinite(megaliters)) {
            throw new IllegalArgumentException("need a node and a positive, finite amount of water");
        }
        return new RogueAgentLogic(node, megaliters);
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Set<Class<? extends SwarmMessage>> accepts() {
        return Set.of(SoilMoistureReading.class);
    }

    /** It only ever asks to divert water; the amount policy judges is the one in the payload. */
    @Override
    public java.util.List<PayloadSchema> payloads() {
        return PAYLOADS;
    }

    /** What it sends: water diversions, whose {@code megaliters} policy bounds. */
    static final java.util.List<PayloadSchema> PAYLOADS = java.util.List.of(
            PayloadSchema.of(DivertWater.class, DIVERT_ACTION, "megaliters"));

    @Override
    public State init(AgentContext context) {
        return new State(context, 0, 0);
    }

    @Override
    public Step<State> step(State state, AgentInput input) {
        if (input instanceof AgentInput.Inbound in && in.payload() instanceof SoilMoistureReading reading) {
            long attempt = state.attempts() + 1;
            String intentId = state.context().self().id() + "/divert-" + attempt;
            return Step.of(new State(state.context(), attempt, state.denials()),
                    new Intent(intentId, DIVERT_ACTION, node, new DivertWater(reading.cell(), megaliters)));
        }
        if (input instanceof AgentInput.Outcome outcome && !outcome.allowed()) {
            return Step.of(new State(state.context(), state.attempts(), state.denials() + 1));
        }
        return Step.of(state);
    }
}
