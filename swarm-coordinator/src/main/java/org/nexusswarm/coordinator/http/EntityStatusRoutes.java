package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;

/**
 * {@code GET /entities/{entity}}: the entity's status, asked through sharding wherever it lives (waking it if it
 * sleeps): quarantined or not, denials, last journal sequence, and whether any rail deployed it ({@code deployed}
 * false: the stand-in that refuses everything answered). Read-only, like {@code /cluster}; what a probe or
 * {@code swarm cluster status} uses to see an entity serve.
 */
public final class EntityStatusRoutes extends AllDirectives implements OperatorRoutes {

    private final ActorSystem<?> system;
    private final Duration timeout;

    public EntityStatusRoutes(ActorSystem<?> system, Duration timeout) {
        this.system = system;
        this.timeout = timeout;
    }

    @Override
    public Route route() {
        return pathPrefix("entities", () -> path(PathMatchers.segment(), entity -> get(() -> {
            EntityAddress address;
            try {
                address = EntityAddress.parse(entity);
            } catch (IllegalArgumentException e) {
                return complete(JsonResponses.error(StatusCodes.BAD_REQUEST, "not an entity address: "
                        + JsonResponses.firstLine(e.getMessage())));
            }
            return completeWithFuture(ClusterSharding.get(system)
                    .entityRefFor(address.kind().typeKey(), address.id())
                    .<EntityStatus>ask(GetStatus::new, timeout)
                    .handle((status, failure) -> failure != null
                            ? JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, "no answer from " + address
                                    + " within " + timeout.toSeconds() + " s")
                            : render(status)));
        })));
    }

    private static HttpResponse render(EntityStatus s) {
        ObjectNode body = SignedCommands.JSON.createObjectNode().put("entity", s.address().toString())
                .put("deployed", !org.nexusswarm.safety.api.SafetyLayer.notDeployed(s)).put("quarantined", s.quarantined())
                .put("denials", s.denials()).put("lastSequence", s.lastSequence()).put("reason", s.reason());
        return JsonResponses.json(StatusCodes.OK, body);
    }
}
