package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.error;
import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.internal.policy.PolicyStore;

/**
 * The operator API's policy part:
 * <ul>
 *   <li>{@code PUT /policies/{scope}} with JSON {@code {"text", "operatorDid", "nonce", "signature"}}
 *       (signature: base64 of the operator's Ed25519 signature over {@link PolicyChange#signedBytes}) → 200
 *       {@code {"scope", "version"}}; 400 for a malformed request or a change the store refuses for its
 *       content; 403 when the signature or the operator is not accepted; 503 when the store does not answer.</li>
 *   <li>{@code GET /policies/{scope}} → 200 {@code {"scope", "version", "sha256", "text", "operatorDid"}}, or 404.</li>
 * </ul>
 * Requests are authenticated by the signed change itself: the {@link PolicyStore} checks it, journals it and
 * only then publishes the policy. Errors are JSON {@code {"error": "..."}}.
 */
public final class PolicyRoutes extends AllDirectives implements OperatorRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for the largest policy text, JSON-escaped, plus the other fields. */
    private static final long MAX_BODY_BYTES = PolicyParser.MAX_TEXT_CHARS * 6L + 4096;

    /** A body over the size limit surfaces as a rejection of the unmarshaller or as a stream exception. */
    private final RejectionHandler malformed = RejectionHandler.newBuilder()
            .handle(MalformedRequestContentRejection.class, r -> complete(
                    r.getCause() instanceof EntityStreamSizeException ? tooLarge()
                            : error(StatusCodes.BAD_REQUEST, "the request body could not be read: " + r.message())))
            .build();
    private final ExceptionHandler streamTooLarge = ExceptionHandler.newBuilder()
            .match(EntityStreamSizeException.class, e -> complete(tooLarge()))
            .build();

    private final ActorSystem<?> system;
    private final Duration askTimeout;

    /** Routes asking the sharded {@link PolicyStore}s of {@code system} (registered here if not yet). */
    public PolicyRoutes(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
        PolicyStore.init(system);
    }

    @Override
    public Route route() {
        return pathPrefix("policies", () -> path(PathMatchers.segment(), scope -> concat(
                put(() -> handleRejections(malformed, () -> handleExceptions(streamTooLarge,
                        () -> withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(),
                                body -> respond(propose(scope, body))))))),
                get(() -> respond(current(scope))))));
    }

    private Route respond(CompletionStage<HttpResponse> response) {
        return onSuccess(response, this::complete);
    }

    private CompletionStage<HttpResponse> propose(String scope, String body) {
        if (!Policy.isValidScope(scope)) {
            return done(badScope(scope));
        }
        PolicyChange change;
        try {
            change = parseChange(scope, body);
        } catch (IllegalArgumentException e) {
            return done(error(StatusCodes.BAD_REQUEST, e.getMessage()));
        }
        return PolicyStore.ref(system, scope)
                .<Long>askWithStatus(replyTo -> new PolicyStore.Propose(change, replyTo), askTimeout)
                .handle((version, failure) -> {
                    if (failure == null) {
                        ObjectNode ok = JSON.createObjectNode().put("scope", scope).put("version", version);
                        return json(StatusCodes.OK, ok);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof TimeoutException) {
                        return error(StatusCodes.SERVICE_UNAVAILABLE, "the policy store of " + scope
                                + " did not answer within " + askTimeout.toSeconds() + " s; try again");
                    }
                    String message = String.valueOf(cause.getMessage());
                    if (message.startsWith(PolicyStore.FORBIDDEN)) {
                        return error(StatusCodes.FORBIDDEN, message.substring(PolicyStore.FORBIDDEN.length()));
                    }
                    if (message.startsWith(PolicyStore.INVALID)) {
                        return error(StatusCodes.BAD_REQUEST, message.substring(PolicyStore.INVALID.length()));
                    }
                    system.log().warn("policy change for {} failed: {}", scope, message);
                    return error(StatusCodes.INTERNAL_SERVER_ERROR, "the policy change failed: " + message);
                });
    }

    private CompletionStage<HttpResponse> current(String scope) {
        if (!Policy.isValidScope(scope)) {
            return done(badScope(scope));
        }
        return PolicyStore.ref(system, scope).ask(PolicyStore.GetPolicy::new, askTimeout)
                .handle((current, failure) -> {
                    if (failure != null) {
                        return error(StatusCodes.SERVICE_UNAVAILABLE, "the policy store of " + scope
                                + " did not answer: " + failure.getMessage());
                    }
                    if (current.version() == 0) {
                        return error(StatusCodes.NOT_FOUND, "no policy has been set for " + scope);
                    }
                    return json(StatusCodes.OK, JSON.createObjectNode().put("scope", scope)
                            .put("version", current.version()).put("sha256", current.sha256())
                            .put("text", current.text()).put("operatorDid", current.operatorDid()));
                });
    }

    /** The signed change in {@code body}; throws with a readable message for anything malformed. */
    static PolicyChange parseChange(String scope, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {text, operatorDid, nonce, signature}");
        }
        String text = requiredText(json, "text");
        String did = requiredText(json, "operatorDid");
        JsonNode nonce = json.get("nonce");
        if (nonce == null || !nonce.canConvertToLong() || !nonce.isIntegralNumber()) {
            throw new IllegalArgumentException("'nonce' must be a whole number");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(requiredText(json, "signature"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'signature' must be base64: " + e.getMessage());
        }
        return new PolicyChange(scope, text, did, nonce.longValue(), signature);
    }

    private static String requiredText(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a string");
        }
        return v.textValue();
    }

    private static HttpResponse tooLarge() {
        return error(StatusCodes.PAYLOAD_TOO_LARGE, "the request is larger than " + MAX_BODY_BYTES
                + " bytes; a policy text may have at most " + PolicyParser.MAX_TEXT_CHARS + " characters");
    }

    private static HttpResponse badScope(String scope) {
        return error(StatusCodes.BAD_REQUEST, "'" + scope + "' is not a policy scope: use rail:<name> or pack:<name>");
    }



    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
