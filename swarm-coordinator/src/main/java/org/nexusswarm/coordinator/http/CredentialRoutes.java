package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.error;
import static org.nexusswarm.coordinator.http.JsonResponses.firstLine;
import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The operator API's credential routes.
 *
 * <ul>
 *   <li>{@code POST /credentials/revocations} with {@code {credentialId, reason, operatorDid, signature}}, the
 *       signature being base64 Ed25519 over the UTF-8 bytes of {@code credentialId|reason} (see
 *       {@link #signedMessage}). Only DIDs admitted in the node's identities under a name starting with
 *       {@code operator:} may revoke. 200 on success; 400 for a malformed body; 403 for an unknown operator or a
 *       bad signature; 503 when the revocation cannot be written. Errors are JSON {@code {"error": "..."}}.</li>
 *   <li>{@code GET /credentials/revocations}: {@code {"revoked": [...], "replicated": true}}, unauthenticated
 *       (ids only; bind the operator API to an operators' network).</li>
 * </ul>
 *
 * <p>Caveat: the signed message carries no timestamp or nonce, so a captured request can be replayed; replay only
 * repeats the same (idempotent, permanent) revocation. Ids containing {@code |} are refused so the signed message
 * is unambiguous.
 */
public final class CredentialRoutes extends AllDirectives implements OperatorRoutes {

    public static final String OPERATOR_PREFIX = "operator:";
    static final long MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_REASON_CHARS = 2000;
    private static final Set<String> FIELDS = Set.of("credentialId", "reason", "operatorDid", "signature");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final IdentityDirectory identities;
    private final RevocationList revocations;

    public CredentialRoutes(SafetyRegistry registry, RevocationList revocations) {
        this.identities = registry.identities();
        this.revocations = revocations;
    }

    /** The routes of {@code system}'s registry and revocation list. */
    public CredentialRoutes(ActorSystem<?> system) {
        this(SafetyRegistry.get(system), RevocationList.get(system));
    }

    /** The bytes an operator signs to revoke {@code credentialId}: UTF-8 of {@code credentialId|reason}. */
    public static byte[] signedMessage(String credentialId, String reason) {
        return (credentialId + "|" + reason).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Route route() {
        return pathPrefix("credentials", () -> path("revocations", () -> concat(
                post(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), this::revoke))),
                get(() -> complete(list())))));
    }

    /** A validated revocation request. */
    private record Request(String credentialId, String reason, String operatorDid, byte[] signature) {}

    /** A refusal: HTTP status and message. */
    private record Refusal(StatusCode status, String message) {}

    private Route revoke(String body) {
        Request request;
        try {
            request = parse(body);
        } catch (IllegalArgumentException e) {
            return complete(error(StatusCodes.BAD_REQUEST, e.getMessage()));
        }
        Optional<Refusal> refusal = authenticate(request);
        if (refusal.isPresent()) {
            return complete(error(refusal.get().status(), refusal.get().message()));
        }
        String operator = identities.lookup(request.operatorDid()).orElseThrow().name();
        CompletionStage<HttpResponse> answer = revocations.revoke(request.credentialId(),
                        operator + ": " + request.reason())
                .thenApply(done -> {
                    ObjectNode ok = JSON.createObjectNode()
                            .put("credentialId", request.credentialId())
                            .put("revoked", true)
                            .put("operator", operator)
                            .put("replicated", revocations.replicated());
                    return json(StatusCodes.OK, ok);
                })
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    return error(StatusCodes.SERVICE_UNAVAILABLE, "revocation of " + request.credentialId()
                            + " failed: " + cause.getMessage());
                });
        return completeWithFuture(answer);
    }

    private Optional<Refusal> authenticate(Request request) {
        Optional<IdentityDirectory.Principal> principal = identities.lookup(request.operatorDid());
        if (principal.isEmpty() || !principal.get().name().startsWith(OPERATOR_PREFIX)) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, "unknown operator " + request.operatorDid()
                    + ": not admitted on this node as an operator"));
        }
        byte[] message = signedMessage(request.credentialId(), request.reason());
        if (!Ed25519.verify(new Did(request.operatorDid()).publicKey(), message, request.signature())) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, "bad signature: the signature does not verify "
                    + "against operator " + request.operatorDid() + " over credentialId|reason"));
        }
        return Optional.empty();
    }

    private static Request parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON body: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {credentialId, reason, operatorDid, "
                    + "signature}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        String id = text(root, "credentialId");
        if (id.isBlank() || id.length() > RevocationList.MAX_ID_CHARS || id.contains("|")
                || id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("credentialId must be 1-" + RevocationList.MAX_ID_CHARS
                    + " printable characters without '|'");
        }
        String reason = text(root, "reason");
        if (reason.isBlank() || reason.length() > MAX_REASON_CHARS) {
            throw new IllegalArgumentException("reason must be 1-" + MAX_REASON_CHARS + " characters");
        }
        String operatorDid = text(root, "operatorDid");
        if (!operatorDid.startsWith(Did.PREFIX)) {
            throw new IllegalArgumentException("operatorDid must be a Nexus DID (" + Did.PREFIX + "...)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(text(root, "signature"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature must be base64");
        }
        return new Request(id, reason, operatorDid, signature);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + (v == null ? " is missing" : " must be a string"));
        }
        return v.textValue();
    }

    private HttpResponse list() {
        ObjectNode body = JSON.createObjectNode();
        new TreeSet<>(revocations.revoked()).forEach(body.putArray("revoked")::add);
        body.put("replicated", revocations.replicated());
        return json(StatusCodes.OK, body);
    }
}
