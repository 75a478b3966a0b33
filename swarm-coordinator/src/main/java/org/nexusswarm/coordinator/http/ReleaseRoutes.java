package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.safety.api.operator.OperatorCommands;

/**
 * {@code POST /entities/{kind:id}/release} with {@code {"token": "<signed release command>"}} (kind
 * {@code release}, body {@code {entity, reason}}, the entity the same as the path's): an adapter over
 * {@link OperatorCommands#release}. The operator only starts the process: the entity's supervisor opens an
 * approval with the approvers its policy names for {@code safety.release}. Answers with the entity's status,
 * whose {@code reason} says what happens next; refusals as in {@link SignedCommands}.
 */
public final class ReleaseRoutes extends AllDirectives implements OperatorRoutes {

    private final OperatorCommands commands;

    public ReleaseRoutes(OperatorCommands commands) {
        this.commands = commands;
    }

    public ReleaseRoutes(ActorSystem<?> system) {
        this(OperatorCommands.get(system));
    }

    @Override
    public Route route() {
        return pathPrefix("entities", () -> pathPrefix(entity -> path("release", () -> post(() ->
                withSizeLimit(KillSwitchRoutes.MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(), body ->
                        completeWithFuture(SignedCommands.handle(body, token -> commands.release(entity, token),
                                status -> {
                                    ObjectNode ok = SignedCommands.JSON.createObjectNode()
                                            .put("entity", status.address().toString())
                                            .put("quarantined", status.quarantined()).put("reason", status.reason());
                                    return SignedCommands.ok(ok);
                                }))))))));
    }
}
