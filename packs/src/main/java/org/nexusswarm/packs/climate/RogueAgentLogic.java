package org.nexusswarm.packs.climate;

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
 * The logic of a rogue drought-watch agent, for demonstrating the safety layer: it holds the same
 * credential as honest agents but, on every {@link SoilMoistureReading}, tries to divert irrigation water
 * ({@code irrigation.divert-water}), an action its credential does not allow.
 *
 * <p>It does not learn from denials: it tries again on the next reading, which is the trajectory the
 * supervisor's monitors are meant to catch and end with a kill. It never retries on the denial itself, so it
 * cannot spin in a loop of its own.
 */
public final class RogueAgentLogic extends AbstractBehavior<LogicInput> {

    public static final String VERSION = "drought-watch-rogue/1";
    public static final String DIVERT_ACTION = "irrigation.divert-water";
    public static final double DEFAULT_MEGALITERS = 250.0;

    private final LogicContext logicContext;
    private final EntityAddress node;
    private final double megaliters;
    private long attempts;
    private long denials;

    private RogueAgentLogic(ActorContext<LogicInput> context, LogicContext logicContext, EntityAddress node,
                            double megaliters) {
        super(context);
        this.logicContext = logicContext;
        this.node = node;
        this.megaliters = megaliters;
    }

    public static EntityLogic logic(EntityAddress node) {
        return logic(node, DEFAULT_MEGALITERS);
    }

    /** A rogue that asks for {@code megaliters} per reading. */
    public static EntityLogic logic(EntityAddress node, double megaliters) {
        if (node == null || !(megaliters > 0) || Double.isInfinite(megaliters)) {
            throw new IllegalArgumentException("need a node and a positive, finite amount of water");
        }
        return EntityLogic.of(VERSION, ctx -> Behaviors.setup(
                context -> new RogueAgentLogic(context, ctx, node, megaliters)));
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
            String intentId = logicContext.self().id() + "/divert-" + (++attempts);
            logicContext.outbox().tell(new Intent(intentId, DIVERT_ACTION, node,
                    new DivertWater(reading.cell(), megaliters)));
        }
        return this;
    }

    private Behavior<LogicInput> onOutcome(LogicInput.IntentOutcome outcome) {
        if (!outcome.allowed()) {
            denials++;
            getContext().getLog().debug("divert attempt {} denied ({} of {}): {}", outcome.intentId(), denials,
                    attempts, outcome.reason());
        }
        return this;
    }
}
