package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.operator.OperatorCommands;

/**
 * The operator API's credential routes, adapters over {@link OperatorCommands#revoke}.
 *
 * <ul>
 *   <li>{@code POST /credentials/revocations} with {@code {"token": "<signed revoke command>"}} (kind
 *       {@code revoke}, body {@code {credentialId, reason}}): 200 {@code {credentialId, revoked, operator,
 *       replicated}}; refusals as in {@link SignedCommands} (a replayed command: 403 {@code REPLAYED}).</li>
 *   <li>{@code GET /credentials/revocations}: {@code {"revoked": [...], "replicated": true}}, unauthenticated
 *       (ids only; bind the operator API to an operators' network).</li>
 * </ul>
 */
public final class CredentialRoutes extends AllDirectives implements OperatorRoutes {

    private final OperatorCommands commands;
    private final RevocationList revocations;

    public CredentialRoutes(OperatorCommands commands, RevocationList revocations) {
        this.commands = commands;
        this.revocations = revocations;
    }

    public CredentialRoutes(ActorSystem<?> system) {
        this(OperatorCommands.get(system), RevocationList.get(system));
    }

    @Override
    public Route route() {
        return pathPrefix("credentials", () -> path("revocations", () -> concat(
                post(() -> withSizeLimit(KillSwitchRoutes.MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), body -> completeWithFuture(SignedCommands.handle(body,
                                commands::revoke, revoked -> SignedCommands.ok(SignedCommands.JSON.createObjectNode()
                                        .put("credentialId", revoked.credentialId())
                                        .put("revoked", true)
                                        .put("operator", revoked.operator())
                                        .put("replicated", revoked.replicated()))))))),
                get(() -> complete(list())))));
    }

    private HttpResponse list() {
        ObjectNode body = SignedCommands.JSON.createObjectNode();
        new TreeSet<>(revocations.revoked()).forEach(body.putArray("revoked")::add);
        body.put("replicated", revocations.replicated());
        return json(StatusCodes.OK, body);
    }
}
