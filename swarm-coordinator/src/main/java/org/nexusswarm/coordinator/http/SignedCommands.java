package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.firstLine;
import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;

/**
 * What every signed operator route shares: the body {@code {"token": "<compact JWS>"}} (see
 * {@code OperatorTokens}), and refusals rendered as {@code {"error", "code", "detail"}} with the status of their
 * category (400 malformed, 413 too large, 403 forbidden, 404, 409 conflict, 503 unavailable).
 */
final class SignedCommands {

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SignedCommands() {}

    /** The body an operator sends: the token alone. */
    static ObjectNode body(String token) {
        return JSON.createObjectNode().put("token", token);
    }

    /** The token in {@code {"token": "..."}}; anything else is a 400. */
    static String token(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON body: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {\"token\": \"<signed command>\"}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!"token".equals(name)) {
                throw new IllegalArgumentException("unknown field '" + clip(name) + "': the body carries only the "
                        + "signed command {\"token\": ...}");
            }
        }
        JsonNode token = root.get("token");
        if (token == null || !token.isTextual()) {
            throw new IllegalArgumentException("token is missing or not a string");
        }
        return token.textValue();
    }

    /** Parses the body, runs {@code service} on the token, renders its answer or its refusal. */
    static <T> CompletionStage<HttpResponse> handle(String body, Function<String, CompletionStage<T>> service,
            Function<T, HttpResponse> render) {
        String token;
        try {
            token = token(body);
        } catch (IllegalArgumentException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                    refusal(new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, e.getMessage())));
        }
        CompletionStage<T> answer;
        try {
            answer = service.apply(token);
        } catch (RuntimeException e) {
            answer = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        return answer.handle((result, failure) -> failure == null ? render.apply(result) : refusal(failure));
    }

    static HttpResponse refusal(Throwable failure) {
        OperatorCommandRefused refused = OperatorCommandRefused.in(failure).orElseGet(() ->
                new OperatorCommandRefused(OperatorCommandRefused.Code.UNAVAILABLE, String.valueOf(
                        failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage())));
        StatusCode status = switch (refused.code().category()) {
            case MALFORMED -> StatusCodes.BAD_REQUEST;
            case TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
            case FORBIDDEN -> StatusCodes.FORBIDDEN;
            case NOT_FOUND -> StatusCodes.NOT_FOUND;
            case CONFLICT -> StatusCodes.CONFLICT;
            case UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
        };
        return json(status, JSON.createObjectNode().put("error", refused.code() + ": " + refused.detail())
                .put("code", refused.code().name()).put("detail", refused.detail()));
    }

    static HttpResponse ok(JsonNode body) {
        return json(StatusCodes.OK, body);
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
