package org.nexusswarm.packs.climate;

import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;

/**
 * The logic of the drought-watch rail node: the sink of the rail's {@link DroughtAlert}s, which it counts
 * per cell. It takes no actions (its credential allows none).
 *
 * <p>Caveat: the count lives in the logic's state only; the durable record of each alert is the node
 * supervisor's journal (an Observed per alert), which is what reviewers read.
 */
public final class RailNodeLogic implements AgentLogic<AlertLedger> {

    public static final String VERSION = "drought-watch-node/1";

    private static final RailNodeLogic INSTANCE = new RailNodeLogic();

    private RailNodeLogic() {}

    public static RailNodeLogic logic() {
        return INSTANCE;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Set<Class<? extends SwarmMessage>> accepts() {
        return Set.of(DroughtAlert.class);
    }

    /** The node only records alerts: it sends nothing, so any payload it tried to send would be refused. */
    @Override
    public java.util.List<org.nexusswarm.actors.spi.PayloadSchema> payloads() {
        return java.util.List.of();
    }

    @Override
    public AlertLedger init(AgentContext context) {
        return AlertLedger.EMPTY;
    }

    @Override
    public Step<AlertLedger> step(AlertLedger ledger, AgentInput input) {
        if (input instanceof AgentInput.Inbound in && in.payload() instanceof DroughtAlert alert) {
            return Step.of(ledger.record(alert));
        }
        return Step.of(ledger);
    }
}
