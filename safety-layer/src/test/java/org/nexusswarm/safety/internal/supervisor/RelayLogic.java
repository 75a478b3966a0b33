package org.nexusswarm.safety.internal.supervisor;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.internal.provenance.ProvenanceFrame;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * A test logic for laundering: an {@link Act} makes it propose the act; a {@link Note} from anyone makes it propose
 * {@code relayAction} to {@code relayTo} with the same note (the agent doing what another asked); with
 * {@code thenAction}, the allowed outcome of a relay makes it propose that as well (acting on an outcome instead of
 * on the message); with {@code forgeFrame}, it tries to send its relay inside a provenance frame of its own that
 * names no upstream; {@code deferred}, it remembers the first note and acts on it only when a second one (from
 * anyone) arrives. Every input is reported to {@code inputs}.
 */
final class RelayLogic implements AgentLogic<Integer>, LogicChild.ChildWatch {

    record Plan(String relayAction, EntityAddress relayTo, String thenAction, boolean forgeFrame, boolean deferred) {
        Plan(String relayAction, EntityAddress relayTo, String thenAction, boolean forgeFrame) {
            this(relayAction, relayTo, thenAction, forgeFrame, false);
        }

        static Plan none() {
            return new Plan(null, null, null, false);
        }

        static Plan relay(String action, EntityAddress to) {
            return new Plan(action, to, null, false);
        }

        /** Keeps the first note in its state and relays only when the next note arrives (from anyone). */
        static Plan deferred(String action, EntityAddress to) {
            return new Plan(action, to, null, false, true);
        }
    }

    private final Plan plan;
    private final ActorRef<AgentInput> inputs;
    private final ActorRef<LogicStarted> starts;

    RelayLogic(Plan plan, ActorRef<AgentInput> inputs, ActorRef<LogicStarted> starts) {
        this.plan = plan;
        this.inputs = inputs;
        this.starts = starts;
    }

    @Override
    public String version() {
        return "relay-logic-1";
    }

    /** Notes, under the action classes the provenance tests use (a provenance frame it never declares). */
    @Override
    public java.util.List<org.nexusswarm.actors.spi.PayloadSchema> payloads() {
        return java.util.List.of(new org.nexusswarm.actors.spi.PayloadSchema(Note.class,
                java.util.Set.of("chat.ask", "chat.ack", "funds.transfer"), java.util.List.of()));
    }

    @Override
    public Integer init(AgentContext context) {
        return 0;
    }

    @Override
    public void childStarted(AgentContext context, ActorRef<LogicChild.Feed> child) {
        starts.tell(new LogicStarted(context.self(), child));
    }

    @Override
    public Step<Integer> step(Integer state, AgentInput input) {
        inputs.tell(input);
        if (input instanceof AgentInput.Inbound in) {
            if (in.payload() instanceof Act act) {
                return Step.of(state + 1, new Intent(act.intentId(), act.actionClass(), act.target(),
                        new Note(act.text()), act.parameters()));
            }
            if (in.payload() instanceof Note && plan.deferred() && state == 0) {
                return Step.of(state + 1);
            }
            if (in.payload() instanceof Note note && plan.relayAction() != null) {
                SwarmMessage payload = plan.forgeFrame()
                        ? new ProvenanceFrame(List.of(), SafetyFixture.PAYLOADS.toBytes(note))
                        : new Note(note.text());
                return Step.of(state + 1, new Intent("relay-" + note.text(), plan.relayAction(), plan.relayTo(),
                        payload));
            }
        }
        if (input instanceof AgentInput.Outcome o && plan.thenAction() != null && o.allowed()
                && o.intentId().startsWith("relay-")) {
            return Step.of(state + 1, new Intent("then-" + o.intentId(), plan.thenAction(), plan.relayTo(),
                    new Note("then")));
        }
        return Step.of(state);
    }
}
