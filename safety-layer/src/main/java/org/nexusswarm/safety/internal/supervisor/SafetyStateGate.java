package org.nexusswarm.safety.internal.supervisor;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.EntityCommand;

/**
 * Holds a sharded entity's messages until its node enforces the durable safety state (the journaled kill switch,
 * revocations and operators re-seeded), then starts the entity on them in order. So after a full-cluster restart an
 * engaged kill switch or a revocation applies from an entity's very first message. Beyond {@code capacity} held
 * messages the rest are dropped (logged; their senders time out); if the state never comes back the entity never
 * starts (fail closed).
 */
final class SafetyStateGate {

    /** Internal: the state is back. Local only. */
    private record Opened() implements NoSerializationVerificationNeeded {}

    /** Internal: the restore failed; stay closed. Local only. */
    private record StayClosed(Throwable cause) implements NoSerializationVerificationNeeded {}

    private SafetyStateGate() {}

    static Behavior<EntityCommand> await(CompletionStage<Done> restored, EntityAddress address, int capacity,
            Supplier<Behavior<EntityCommand>> entity) {
        if (restored.toCompletableFuture().isDone() && !restored.toCompletableFuture().isCompletedExceptionally()) {
            return entity.get();
        }
        Behavior<Object> gate = Behaviors.setup(ctx -> Behaviors.withStash(capacity, held -> {
            ctx.pipeToSelf(restored, (done, failure) -> failure == null ? new Opened() : new StayClosed(failure));
            return Behaviors.receive(Object.class)
                    .onMessage(Opened.class, opened -> held.unstashAll(widen(entity.get())))
                    .onMessage(StayClosed.class, closed -> {
                        ctx.getLog().error("{}: the safety state was not restored ({}); the entity stays stopped",
                                address, closed.cause().toString());
                        return Behaviors.same();
                    })
                    .onAnyMessage(message -> {
                        if (held.isFull()) {
                            ctx.getLog().warn("{}: dropped {} while the safety state is being restored ({} held)",
                                    address, message.getClass().getSimpleName(), capacity);
                        } else {
                            held.stash(message);
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
        return gate.narrow();
    }

    @SuppressWarnings("unchecked")
    private static Behavior<Object> widen(Behavior<EntityCommand> behavior) {
        // Sound: every message but Opened that reaches this actor is an EntityCommand (sharding's typed key).
        return (Behavior<Object>) (Behavior<?>) behavior;
    }
}
