package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.auth.ReplayGuard;
import org.nexusswarm.safety.auth.Staleness;
import org.nexusswarm.safety.monitor.KillOrder;
import org.nexusswarm.safety.monitor.KillSwitch;
import org.nexusswarm.safety.monitor.KillTarget;
import org.nexusswarm.safety.registry.SafetyRegistry;

/**
 * The operator API's kill switch routes.
 *
 * <ul>
 *   <li>{@code POST /kill-switch} with {@code {scope, name, reason, operatorDid, nonce, signature}}: engages the
 *       cluster-wide {@link KillSwitch} for the target. {@code scope} is ENTITY, PACK or RAIL; {@code nonce} is the
 *       operator's clock in epoch milliseconds; {@code signature} is base64 Ed25519 over
 *       {@link KillOrder#signedBytes()} by a DID admitted in the node's identities under a name starting with
 *       {@code operator:}. 200 with {@code {engaged, operator, replication}} once this node's kill switch covers
 *       the target; 400 for a malformed body; 403 for an unknown operator, a bad signature, a nonce more than
 *       {@link #MAX_AGE} old or {@link #MAX_SKEW} ahead, or a nonce already used; 503 when the switch fails.
 *       Errors are JSON {@code {"error": "...", "code": "..."}}.</li>
 *   <li>{@code GET /kill-switch}: {@code {"engaged": [{scope, name, operator, reason}...]}}, unauthenticated
 *       (bind the operator API to an operators' network).</li>
 * </ul>
 *
 * <p>Caveat: used nonces are remembered per node and in memory; a captured order could be replayed once at
 * another node (or after a restart) until it is {@link #MAX_AGE} old. Replaying an engagement only engages the
 * same target again.
 */
public final class KillSwitchRoutes extends AllDirectives implements OperatorRoutes {

    public static final String OPERATOR_PREFIX = "operator:";
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    public static final Duration MAX_SKEW = Duration.ofMinutes(1);
    static final long MAX_BODY_BYTES = 16 * 1024;
    /** Operators whose used nonces are remembered (least recently active forgotten first). */
    static final int MAX_OPERATORS = 1000;
    private static final Set<String> FIELDS = Set.of("scope", "name", "reason", "operatorDid", "nonce", "signature");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final IdentityDirectory identities;
    private final KillSwitch killSwitch;
    private final LongSupplier clock;
    private final AtomicReference<ReplayGuard> usedNonces = new AtomicReference<>(ReplayGuard.empty(MAX_OPERATORS));

    public KillSwitchRoutes(SafetyRegistry registry, KillSwitch killSwitch, LongSupplier clock) {
        this.identities = registry.identities();
        this.killSwitch = killSwitch;
        this.clock = clock;
    }

    /** The routes of {@code system}'s registry and kill switch, on the system clock. */
    public KillSwitchRoutes(ActorSystem<?> system) {
        this(SafetyRegistry.get(system), KillSwitch.get(system), System::currentTimeMillis);
    }

    @Override
    public Route route() {
        return path("kill-switch", () -> concat(
                post(() -> withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(), this::engage))),
                get(() -> complete(list()))));
    }

    /** A refusal: HTTP status, code and message. */
    private record Refusal(StatusCode status, String code, String message) {}

    private Route engage(String body) {
        KillOrder.Signed signed;
        try {
            signed = parse(body);
        } catch (IllegalArgumentException e) {
            return complete(error(StatusCodes.BAD_REQUEST, "MALFORMED", e.getMessage()));
        }
        KillOrder order = signed.order();
        Optional<Refusal> refusal = authenticate(signed);
        if (refusal.isPresent()) {
            return complete(error(refusal.get().status(), refusal.get().code(), refusal.get().message()));
        }
        String operator = identities.lookup(order.operatorDid()).orElseThrow().name();
        CompletionStage<HttpResponse> answer = killSwitch.engage(order.target(), operator, order.reason())
                .thenApply(replication -> {
                    ObjectNode ok = JSON.createObjectNode();
                    ok.set("engaged", target(order.target()));
                    ok.put("operator", operator).put("replication", replication.name());
                    return json(StatusCodes.OK, ok);
                })
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    return error(StatusCodes.SERVICE_UNAVAILABLE, "UNAVAILABLE", "engaging the kill switch for "
                            + order.target() + " failed: " + cause.getMessage());
                });
        return completeWithFuture(answer);
    }

    /** Cheapest first; the nonce is remembered only once the signature verified, so strangers cannot burn it. */
    private Optional<Refusal> authenticate(KillOrder.Signed signed) {
        KillOrder order = signed.order();
        Optional<IdentityDirectory.Principal> principal = identities.lookup(order.operatorDid());
        if (principal.isEmpty() || !principal.get().name().startsWith(OPERATOR_PREFIX)) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.UNKNOWN_SENDER.name(),
                    "unknown operator " + new Did(order.operatorDid()).shortForm()
                            + ": not admitted on this node as an operator"));
        }
        Optional<String> stale = Staleness.check(order.nonce(), clock.getAsLong(), MAX_AGE, MAX_SKEW);
        if (stale.isPresent()) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.STALE.name(),
                    "kill order nonce (the signing time): " + stale.get() + "; check the operator's clock"));
        }
        if (!order.verifies(signed.signature())) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.BAD_SIGNATURE.name(),
                    "bad signature: it does not verify against operator " + principal.get().name()
                            + " over the kill order"));
        }
        while (true) {
            ReplayGuard current = usedNonces.get();
            ReplayGuard.Verdict verdict = current.check(order.operatorDid(), order.nonce());
            if (verdict != ReplayGuard.Verdict.FRESH) {
                return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.REPLAYED.name(),
                        "this kill order's nonce was " + (verdict == ReplayGuard.Verdict.REPLAYED ? "already used"
                                : "too far behind the operator's newest one") + "; sign a fresh order"));
            }
            if (usedNonces.compareAndSet(current, current.accept(order.operatorDid(), order.nonce()))) {
                return Optional.empty();
            }
        }
    }

    private static KillOrder.Signed parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON body: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {scope, name, reason, operatorDid, "
                    + "nonce, signature}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        KillTarget.Scope scope;
        try {
            scope = KillTarget.Scope.valueOf(text(root, "scope").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("scope")) {
                throw e;
            }
            throw new IllegalArgumentException("scope must be ENTITY, PACK or RAIL");
        }
        KillTarget target = new KillTarget(scope, text(root, "name"));
        JsonNode nonce = root.get("nonce");
        if (nonce == null || !nonce.isIntegralNumber() || !nonce.canConvertToLong()) {
            throw new IllegalArgumentException("nonce must be an integer (the signing time in epoch milliseconds)");
        }
        String operatorDid = text(root, "operatorDid");
        if (!operatorDid.startsWith(Did.PREFIX)) {
            throw new IllegalArgumentException("operatorDid must be a Nexus DID (" + Did.PREFIX + "...)");
        }
        KillOrder order = new KillOrder(target, text(root, "reason"), operatorDid, nonce.longValue());
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(text(root, "signature"));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("signature")) {
                throw e;
            }
            throw new IllegalArgumentException("signature must be base64");
        }
        return new KillOrder.Signed(order, signature);
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
        ArrayNode engaged = body.putArray("engaged");
        for (KillSwitch.Engagement e : killSwitch.engagements()) {
            engaged.add(target(e.target()).put("operator", e.operator()).put("reason", e.reason()));
        }
        return json(StatusCodes.OK, body);
    }

    private static ObjectNode target(KillTarget t) {
        return JSON.createObjectNode().put("scope", t.scope().name()).put("name", t.name());
    }

    private static HttpResponse error(StatusCode status, String code, String message) {
        return json(status, JSON.createObjectNode().put("error", message).put("code", code));
    }

    private static HttpResponse json(StatusCode status, ObjectNode body) {
        return HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
