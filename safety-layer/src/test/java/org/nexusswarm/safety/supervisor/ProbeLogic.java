package org.nexusswarm.safety.supervisor;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.spi.EntityLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;
import org.nexusswarm.safety.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.supervisor.TestPayloads.Note;

/**
 * A test logic: reports its creation and every input to probes; an inbound {@link Act} makes it propose the
 * act's intent (carrying a {@link Note} and the act's parameters); with {@code replyAction} set, a Note from
 * another entity is answered with an intent of that action class back to the sender.
 */
final class ProbeLogic {

    static final String VERSION = "probe-logic-1";

    private ProbeLogic() {}

    static EntityLogic of(ActorRef<LogicInput> inputs, ActorRef<LogicStarted> starts, String replyAction) {
        return EntityLogic.of(VERSION, context -> behavior(context, inputs, starts, replyAction));
    }

    private static Behavior<LogicInput> behavior(LogicContext context, ActorRef<LogicInput> inputs,
            ActorRef<LogicStarted> starts, String replyAction) {
        return Behaviors.setup(ctx -> {
            starts.tell(new LogicStarted(context.self(), ctx.getSelf()));
            return Behaviors.receive(LogicInput.class)
                    .onMessage(LogicInput.Inbound.class, in -> {
                        inputs.tell(in);
                        if (in.payload() instanceof TestPayloads.Crash crash) {
                            throw new IllegalStateException("test logic crashes: " + crash.why());
                        }
                        if (in.payload() instanceof Act act) {
                            context.outbox().tell(new Intent(act.intentId(), act.actionClass(), act.target(),
                                    new Note(act.text()), act.parameters()));
                        } else if (replyAction != null && in.payload() instanceof Note note
                                && in.fromEntity().isPresent()) {
                            context.outbox().tell(new Intent("re-" + note.text(), replyAction,
                                    in.fromEntity().get(), new Note("re: " + note.text())));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(LogicInput.IntentOutcome.class, outcome -> {
                        inputs.tell(outcome);
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
