package org.nexusswarm.packs.climate;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.spi.EntityLogic;
import org.nexusswarm.actors.spi.LogicInput;

/**
 * The logic of the drought-watch rail node: the sink of the rail's {@link DroughtAlert}s, which it counts
 * per cell. It takes no actions (its credential allows none).
 *
 * <p>Caveat: the count lives in memory and is only visible in the log; the durable record of each alert is
 * the node supervisor's journal, which is what reviewers read.
 */
public final class RailNodeLogic {

    public static final String VERSION = "drought-watch-node/1";

    private RailNodeLogic() {}

    public static EntityLogic logic() {
        return EntityLogic.of(VERSION, ctx -> Behaviors.setup(context -> counting(context, AlertLedger.EMPTY)));
    }

    private static Behavior<LogicInput> counting(ActorContext<LogicInput> context, AlertLedger ledger) {
        return Behaviors.receive(LogicInput.class)
                .onMessage(LogicInput.Inbound.class, in -> in.payload() instanceof DroughtAlert, in -> {
                    DroughtAlert alert = (DroughtAlert) in.payload();
                    AlertLedger next = ledger.record(alert);
                    context.getLog().info("drought alert #{} for {} (index {}, day {}) from {}",
                            next.total(), alert.cell(), alert.index(), alert.day(), in.from());
                    return counting(context, next);
                })
                .onMessage(LogicInput.class, other -> Behaviors.same())
                .build();
    }
}
