package org.nexusswarm.safety.internal.supervisor;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * A test logic: reports its child's start (through the package's test seam) and every input to probes (a test's side
 * effect, which no admitted logic could have); an inbound {@link Act} makes it propose the act's intent (carrying
 * a {@link Note} and the act's parameters); with {@code replyAction} set, a Note from another entity is answered
 * with an intent of that action class back to the sender; a {@link TestPayloads.Crash} makes its step throw.
 */
final class ProbeLogic implements AgentLogic<AgentContext>, LogicChild.ChildWatch {

    static final String VERSION = "probe-logic-1";

    private final ActorRef<AgentInput> inputs;
    private final ActorRef<LogicStarted> starts;
    private final String replyAction;
    private final Set<String> actions;
    private final List<String> measured;

    private ProbeLogic(ActorRef<AgentInput> inputs, ActorRef<LogicStarted> starts, String replyAction,
            Set<String> actions, List<String> measured) {
        this.measured = List.copyOf(measured);
        this.inputs = inputs;
        this.starts = starts;
        this.replyAction = replyAction;
        Set<String> all = new HashSet<>(actions);
        if (replyAction != null) {
            all.add(replyAction);
        }
        this.actions = Set.copyOf(all);
    }

    /** A probe logic that declares its payloads for {@code actions} (and {@code replyAction}). */
    static AgentLogic<?> of(ActorRef<AgentInput> inputs, ActorRef<LogicStarted> starts, String replyAction,
            Collection<String> actions) {
        return of(inputs, starts, replyAction, actions, List.of("mw", "fuel"));
    }

    /** The same, declaring {@code measured} as the parameter components of Measured (a changed reading). */
    static AgentLogic<?> of(ActorRef<AgentInput> inputs, ActorRef<LogicStarted> starts, String replyAction,
            Collection<String> actions, List<String> measured) {
        return new ProbeLogic(inputs, starts, replyAction, Set.copyOf(actions), measured);
    }

    /** Note (no parameters) and Measured (mw, fuel), for every action class it may propose. */
    @Override
    public List<PayloadSchema> payloads() {
        return List.of(new PayloadSchema(Note.class, actions, List.of()),
                new PayloadSchema(TestPayloads.Measured.class, actions, measured),
                new PayloadSchema(TestPayloads.Inflated.class, actions, measured));
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public AgentContext init(AgentContext context) {
        return context;
    }

    @Override
    public void childStarted(AgentContext context, ActorRef<LogicChild.Feed> child) {
        starts.tell(new LogicStarted(context.self(), child));
    }

    @Override
    public Step<AgentContext> step(AgentContext context, AgentInput input) {
        inputs.tell(input);
        if (input instanceof AgentInput.Inbound in) {
            if (in.payload() instanceof TestPayloads.Crash crash) {
                throw new IllegalStateException("test logic crashes: " + crash.why());
            }
            if (in.payload() instanceof Act act) {
                // The payload carries what the act states, so the parameters read from it agree.
                SwarmMessage payload = act.parameters().isEmpty() ? new Note(act.text())
                        : new TestPayloads.Measured(act.text(), act.parameters().get("mw"),
                                act.parameters().get("fuel"));
                return Step.of(context, new Intent(act.intentId(), act.actionClass(), act.target(), payload,
                        act.parameters()));
            }
            if (in.payload() instanceof TestPayloads.Burst burst) {
                List<Intent> intents = new java.util.ArrayList<>();
                for (int i = 1; i <= burst.count(); i++) {
                    intents.add(new Intent(burst.prefix() + "-" + i, burst.actionClass(), burst.target(),
                            new Note(burst.prefix() + " " + i)));
                }
                return Step.of(context, intents);
            }
            if (in.payload() instanceof TestPayloads.Lie lie) {
                return Step.of(context, new Intent(lie.intentId(), lie.actionClass(), lie.target(), lie.payload(),
                        lie.stated()));
            }
            if (replyAction != null && in.payload() instanceof Note note && in.fromEntity().isPresent()) {
                return Step.of(context, new Intent("re-" + note.text(), replyAction, in.fromEntity().get(),
                        new Note("re: " + note.text())));
            }
        }
        return Step.of(context);
    }
}
