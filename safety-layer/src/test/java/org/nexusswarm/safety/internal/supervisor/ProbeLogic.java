package org.nexusswarm.safety.internal.supervisor;

import org.apache.pekko.actor.typed.ActorRef;
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

    private ProbeLogic(ActorRef<AgentInput> inputs, ActorRef<LogicStarted> starts, String replyAction) {
        this.inputs = inputs;
        this.starts = starts;
        this.replyAction = replyAction;
    }

    static AgentLogic<?> of(ActorRef<AgentInput> inputs, ActorRef<LogicStarted> starts, String replyAction) {
        return new ProbeLogic(inputs, starts, replyAction);
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
                return Step.of(context, new Intent(act.intentId(), act.actionClass(), act.target(),
                        new Note(act.text()), act.parameters()));
            }
            if (replyAction != null && in.payload() instanceof Note note && in.fromEntity().isPresent()) {
                return Step.of(context, new Intent("re-" + note.text(), replyAction, in.fromEntity().get(),
                        new Note("re: " + note.text())));
            }
        }
        return Step.of(context);
    }
}
