package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.RequestRelease;
import org.nexusswarm.safety.internal.auth.Staleness;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * {@code POST /entities/{kind:id}/release} with {@code {reason, operatorDid, nonce, signature}}: asks a
 * quarantined entity to be released. The operator only starts the process: the entity's supervisor opens an
 * approval request with the approvers its policy names for {@code safety.release}, and releases itself (and
 * restarts its logic) only once they approve. Answers with the entity's status, whose {@code reason} says what
 * happens next. The signature is Ed25519 over {@link #signedBytes} by a DID admitted as {@code operator:...}.
 */
public final class ReleaseRoutes extends AllDirectives implements OperatorRoutes {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration MAX_SKEW = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActorSystem<?> system;
    private final IdentityDirectory identities;
    private final Duration timeout;

    public ReleaseRoutes(ActorSystem<?> system, Duration timeout) {
        this.system = system;
        this.identities = SafetyRegistry.get(system).identities();
        this.timeout = timeout;
    }

    /** What the operator signs. */
    public static byte[] signedBytes(String entity, String reason, long nonce) {
        return ("nexus-release-v1|" + entity + "|" + reason + "|" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON body an operator sends (used by the command line). */
    public static ObjectNode body(SwarmKeyPair operator, String entity, String reason, long nonce) {
        return JSON.createObjectNode().put("reason", reason).put("operatorDid", operator.did().value())
                .put("nonce", nonce)
                .put("signature", Base64.getEncoder().encodeToString(operator.sign(signedBytes(entity, reason, nonce))));
    }

    @Override
    public Route route() {
        return pathPrefix("entities", () -> pathPrefix(entity -> path("release", () -> post(() ->
                withSizeLimit(16 * 1024, () -> entity(Unmarshaller.entityToString(), body -> release(entity, body)))))));
    }

    private Route release(String entity, String body) {
        EntityAddress address;
        JsonNode json;
        try {
            address = EntityAddress.parse(entity);
            json = JSON.readTree(body);
            if (json == null || !json.hasNonNull("reason") || !json.hasNonNull("operatorDid")
                    || !json.path("nonce").canConvertToLong() || !json.hasNonNull("signature")) {
                throw new IllegalArgumentException("body must be {reason, operatorDid, nonce, signature}");
            }
        } catch (Exception e) {
            return complete(error(StatusCodes.BAD_REQUEST, "MALFORMED", String.valueOf(e.getMessage())));
        }
        String reason = json.get("reason").asText();
        String operatorDid = json.get("operatorDid").asText();
        long nonce = json.get("nonce").asLong();
        Optional<String> refusal = authenticate(entity, reason, operatorDid, nonce, json.get("signature").asText());
        if (refusal.isPresent()) {
            return complete(error(StatusCodes.FORBIDDEN, "FORBIDDEN", refusal.get()));
        }
        String operator = identities.lookup(operatorDid).orElseThrow().name();
        CompletionStage<HttpResponse> answer = ClusterSharding.get(system)
                .entityRefFor(address.kind().typeKey(), address.id())
                .<EntityStatus>ask(replyTo -> new RequestRelease(operator, reason, replyTo), timeout)
                .thenApply(status -> {
                    ObjectNode ok = JSON.createObjectNode().put("entity", status.address().toString())
                            .put("quarantined", status.quarantined()).put("reason", status.reason());
                    return HttpResponse.create().withStatus(StatusCodes.OK)
                            .withEntity(ContentTypes.APPLICATION_JSON, ok.toString());
                })
                .exceptionally(e -> error(StatusCodes.SERVICE_UNAVAILABLE, "UNAVAILABLE",
                        "entity " + entity + " did not answer: " + e.getMessage()));
        return completeWithFuture(answer);
    }

    private Optional<String> authenticate(String entity, String reason, String operatorDid, long nonce,
            String signature) {
        var principal = identities.lookup(operatorDid);
        if (principal.isEmpty() || !principal.get().name().startsWith("operator:")) {
            return Optional.of("unknown operator: not admitted on this node as an operator");
        }
        Optional<String> stale = Staleness.check(nonce, System.currentTimeMillis(), MAX_AGE, MAX_SKEW);
        if (stale.isPresent()) {
            return Optional.of("nonce (the signing time): " + stale.get());
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return Optional.of("signature is not base64");
        }
        if (!Ed25519.verify(new Did(operatorDid).publicKey(), signedBytes(entity, reason, nonce), sig)) {
            return Optional.of("bad signature: it does not verify against operator " + principal.get().name());
        }
        return Optional.empty();
    }
}
