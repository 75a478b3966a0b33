package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.error;
import static org.nexusswarm.coordinator.http.JsonResponses.firstLine;
import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.pattern.StatusReply;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.internal.auth.ReplayGuard;
import org.nexusswarm.safety.internal.auth.Staleness;
import org.nexusswarm.safety.api.monitor.KillOrder;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyDecision;
import org.nexusswarm.safety.internal.policy.PolicyEngine;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;
import org.nexusswarm.safety.api.policy.RateView;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

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
 *   <li>{@code POST /kill-switch/lift-requests} with {@code {scope, name, reason, operatorDid, nonce, signature}}
 *       (signature over {@link #liftRequestBytes}, domain-tagged so an engage order never verifies as one):
 *       opens a quorum approval to lift an engaged target. The approvers come from the policy rule for
 *       {@value #RELEASE_ACTION} of the target's rail or pack (an entity: its deployed spec's rail and pack).
 *       200 {@code {approvalId, target, requirement}}; 409 when the target is not engaged or no rule names
 *       approvers (fail closed); 400/403 as for engaging.</li>
 *   <li>{@code POST /kill-switch/lifts} with {@code {approvalId, operatorDid, nonce, signature}} (signature over
 *       {@link #liftBytes}): once that approval is approved, releases its target. 200 {@code {lifted, approvalId,
 *       replication}}; 404 for an unknown approval; 409 when it is pending, rejected, not a lift approval, more
 *       than {@link #LIFT_GRACE} past its deadline, or already used on this node.</li>
 * </ul>
 *
 * <p>Caveat: used nonces are remembered per node and in memory; a captured order could be replayed once at
 * another node (or after a restart) until it is {@link #MAX_AGE} old. Replaying an engagement only engages the
 * same target again. An approved lift is accepted until {@link #LIFT_GRACE} after its approval deadline and
 * is remembered as used only per node, in memory: within that window it could lift a re-engagement of the same
 * target at another node.
 */
public final class KillSwitchRoutes extends AllDirectives implements OperatorRoutes {

    public static final String OPERATOR_PREFIX = "operator:";
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    public static final Duration MAX_SKEW = Duration.ofMinutes(1);
    static final long MAX_BODY_BYTES = 16 * 1024;
    /** Operators whose used nonces are remembered (least recently active forgotten first). */
    static final int MAX_OPERATORS = 1000;
    /** The action class whose policy rule names the approvers of a lift. */
    public static final String RELEASE_ACTION = "safety.release";
    /** The action class of the approval requests a lift opens. */
    public static final String LIFT_ACTION = "safety.lift";
    /** The requester of lift approvals (nothing is deployed there: the decision notice is dropped). */
    public static final EntityAddress REQUESTER = EntityAddress.of(EntityKind.NODE, "kill-switch");
    /** How long after an approval's deadline an approved lift may still be applied. */
    public static final Duration LIFT_GRACE = Duration.ofMinutes(15);
    static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(15);
    private static final String INTENT_PREFIX = "lift-";
    private static final Set<String> FIELDS = Set.of("scope", "name", "reason", "operatorDid", "nonce", "signature");
    private static final Set<String> LIFT_FIELDS = Set.of("approvalId", "operatorDid", "nonce", "signature");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ActorSystem<?> system;
    private final SafetyRegistry registry;
    private final IdentityDirectory identities;
    private final KillSwitch killSwitch;
    private final LongSupplier clock;
    private final Duration askTimeout;
    private final AtomicReference<ReplayGuard> usedNonces = new AtomicReference<>(ReplayGuard.empty(MAX_OPERATORS));
    /** Approvals already applied on this node (bounded by the grace window: expired ones are refused anyway). */
    private final Map<String, Long> usedApprovals = new ConcurrentHashMap<>();

    public KillSwitchRoutes(ActorSystem<?> system, SafetyRegistry registry, KillSwitch killSwitch, LongSupplier clock,
            Duration askTimeout) {
        this.system = system;
        this.registry = registry;
        this.identities = registry.identities();
        this.killSwitch = killSwitch;
        this.clock = clock;
        this.askTimeout = askTimeout;
    }

    /** The routes of {@code system}'s registry and kill switch, on the system clock. */
    public KillSwitchRoutes(ActorSystem<?> system) {
        this(system, SafetyRegistry.get(system), KillSwitch.get(system), System::currentTimeMillis,
                system.settings().config().hasPath("nexus.swarm.ask-timeout")
                        ? system.settings().config().getDuration("nexus.swarm.ask-timeout") : DEFAULT_ASK_TIMEOUT);
    }

    @Override
    public Route route() {
        return pathPrefix("kill-switch", () -> concat(
                pathEnd(() -> concat(
                        post(() -> withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(),
                                this::engage))),
                        get(() -> complete(list())))),
                path("lift-requests", () -> post(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), this::requestLift)))),
                path("lifts", () -> post(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), this::lift))))));
    }

    /** What an operator signs to ask for a lift: domain-tagged, so an engage order's signature never verifies. */
    public static byte[] liftRequestBytes(KillTarget target, String reason, String operatorDid, long nonce) {
        return signed("nexus-kill-order-v1|lift-request", nonce, target.scope().name(), target.name(), reason,
                operatorDid);
    }

    /** What an operator signs to apply an approved lift. */
    public static byte[] liftBytes(String approvalId, String operatorDid, long nonce) {
        return signed("nexus-kill-order-v1|lift", nonce, approvalId, operatorDid);
    }

    /** The JSON body of a lift request signed by {@code operator} (the command line and tests send it). */
    public static ObjectNode liftRequestBody(SwarmKeyPair operator, KillTarget target, String reason, long nonce) {
        String did = operator.did().value();
        return JSON.createObjectNode().put("scope", target.scope().name()).put("name", target.name())
                .put("reason", reason).put("operatorDid", did).put("nonce", nonce)
                .put("signature", Base64.getEncoder().encodeToString(
                        operator.sign(liftRequestBytes(target, reason, did, nonce))));
    }

    /** The JSON body that applies approved lift {@code approvalId}, signed by {@code operator}. */
    public static ObjectNode liftBody(SwarmKeyPair operator, String approvalId, long nonce) {
        String did = operator.did().value();
        return JSON.createObjectNode().put("approvalId", approvalId).put("operatorDid", did).put("nonce", nonce)
                .put("signature", Base64.getEncoder().encodeToString(operator.sign(liftBytes(approvalId, did, nonce))));
    }

    private static byte[] signed(String domain, long nonce, String... fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(domain);
            for (String field : fields) {
                byte[] b = field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            out.writeLong(nonce);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
        Optional<Refusal> refusal = authenticate(order.operatorDid(), order.nonce(), order.signedBytes(),
                signed.signature(), "kill order");
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

    private Route requestLift(String body) {
        KillOrder.Signed signed;
        String intentId;
        try {
            signed = parse(body);
            intentId = INTENT_PREFIX + signed.order().target() + "-" + signed.order().nonce();
            if (intentId.length() > ApprovalRequest.MAX_TEXT_CHARS) {
                throw new IllegalArgumentException("the target's name is too long for a lift request (at most "
                        + (ApprovalRequest.MAX_TEXT_CHARS - (intentId.length() - signed.order().target().name()
                        .length())) + " characters)");
            }
        } catch (IllegalArgumentException e) {
            return complete(error(StatusCodes.BAD_REQUEST, "MALFORMED", e.getMessage()));
        }
        KillOrder order = signed.order();
        KillTarget target = order.target();
        Optional<Refusal> refusal = authenticate(order.operatorDid(), order.nonce(),
                liftRequestBytes(target, order.reason(), order.operatorDid(), order.nonce()), signed.signature(),
                "lift request");
        if (refusal.isPresent()) {
            return complete(error(refusal.get().status(), refusal.get().code(), refusal.get().message()));
        }
        if (!killSwitch.engaged().contains(target)) {
            return complete(error(StatusCodes.CONFLICT, "NOT_ENGAGED", "the kill switch is not engaged for "
                    + target + ": nothing to lift"));
        }
        PolicyDecision decision = PolicyEngine.evaluate(policiesFor(target), new ActionRequest(RELEASE_ACTION,
                target.toString(), "*", Map.of(), Instant.ofEpochMilli(clock.getAsLong())), RateView.NONE);
        if (!(decision instanceof PolicyDecision.NeedsApproval needs)) {
            return complete(error(StatusCodes.CONFLICT, "NO_APPROVERS", "no policy rule for " + RELEASE_ACTION
                    + " names approvers: the kill switch cannot be lifted (fail closed)"));
        }
        ApprovalRequirement requirement = needs.requirement();
        String operator = identities.lookup(order.operatorDid()).orElseThrow().name();
        String approvalId = ApprovalRequest.idFor(REQUESTER, intentId);
        String summary = clipSummary("lift the kill switch for " + target + " (asked by " + operator + "): "
                + order.reason());
        CompletionStage<HttpResponse> answer = ApprovalRequest.entityRef(system, approvalId)
                .<StatusReply<Done>>ask(replyTo -> new ApprovalRequest.Open(approvalId, REQUESTER, intentId,
                        LIFT_ACTION, summary, requirement, replyTo), askTimeout)
                .thenApply(reply -> {
                    if (reply.isError()) {
                        return error(StatusCodes.CONFLICT, "APPROVAL_REFUSED", "the approval request could not be "
                                + "opened: " + reply.getError().getMessage());
                    }
                    ObjectNode ok = JSON.createObjectNode().put("approvalId", approvalId);
                    ok.set("target", target(target));
                    ok.set("requirement", requirement(requirement));
                    ok.put("rule", needs.ruleId()).put("policyVersions", needs.policyVersions());
                    return json(StatusCodes.OK, ok);
                })
                .exceptionally(e -> unavailable("opening the lift approval " + approvalId, e));
        return completeWithFuture(answer);
    }

    private Route lift(String body) {
        JsonNode root;
        String approvalId;
        String operatorDid;
        long nonce;
        byte[] signature;
        try {
            root = object(body, LIFT_FIELDS, "{approvalId, operatorDid, nonce, signature}");
            approvalId = text(root, "approvalId");
            if (!ApprovalRequest.isValidId(approvalId)) {
                throw new IllegalArgumentException("approvalId is not a valid approval id");
            }
            operatorDid = did(root);
            nonce = nonce(root);
            signature = signature(root);
        } catch (IllegalArgumentException e) {
            return complete(error(StatusCodes.BAD_REQUEST, "MALFORMED", e.getMessage()));
        }
        Optional<Refusal> refusal = authenticate(operatorDid, nonce, liftBytes(approvalId, operatorDid, nonce),
                signature, "lift");
        if (refusal.isPresent()) {
            return complete(error(refusal.get().status(), refusal.get().code(), refusal.get().message()));
        }
        CompletionStage<HttpResponse> answer = ApprovalRequest.entityRef(system, approvalId)
                .<ApprovalView>ask(ApprovalRequest.Get::new, askTimeout)
                .thenCompose(view -> applyLift(approvalId, view))
                .exceptionally(e -> unavailable("lifting with approval " + approvalId, e));
        return completeWithFuture(answer);
    }

    private CompletionStage<HttpResponse> applyLift(String approvalId, ApprovalView view) {
        if (view.status() == ApprovalView.Status.UNKNOWN) {
            return done(error(StatusCodes.NOT_FOUND, "UNKNOWN_APPROVAL", "no approval request " + approvalId));
        }
        Optional<KillTarget> target = liftTarget(approvalId, view);
        if (target.isEmpty()) {
            return done(error(StatusCodes.CONFLICT, "NOT_A_LIFT", "approval " + approvalId
                    + " is not a kill switch lift request"));
        }
        if (view.status() == ApprovalView.Status.PENDING) {
            return done(error(StatusCodes.CONFLICT, "AWAITS_APPROVAL", "the lift of " + target.get()
                    + " awaits approval: " + view.approvedBy().size() + " of " + view.requirement().k()
                    + " approved so far; approvers vote with `swarm approvals approve " + approvalId + "`"));
        }
        if (view.status() == ApprovalView.Status.REJECTED) {
            return done(error(StatusCodes.CONFLICT, "REJECTED", "the lift of " + target.get() + " was rejected: "
                    + view.decision().reason() + "; the kill switch stays engaged"));
        }
        long now = clock.getAsLong();
        if (now > view.deadlineMillis() + LIFT_GRACE.toMillis()) {
            return done(error(StatusCodes.CONFLICT, "EXPIRED", "approval " + approvalId + " is too old to apply "
                    + "(more than " + LIFT_GRACE.toMinutes() + " min past its deadline); request a new lift"));
        }
        usedApprovals.values().removeIf(deadline -> now > deadline + LIFT_GRACE.toMillis());
        if (usedApprovals.putIfAbsent(approvalId, view.deadlineMillis()) != null) {
            return done(error(StatusCodes.CONFLICT, "ALREADY_USED", "approval " + approvalId
                    + " was already applied on this node"));
        }
        return killSwitch.release(target.get())
                .thenApply(replication -> {
                    ObjectNode ok = JSON.createObjectNode();
                    ok.set("lifted", target(target.get()));
                    ok.put("approvalId", approvalId).put("replication", replication.name());
                    return json(StatusCodes.OK, ok);
                })
                .exceptionally(e -> {
                    usedApprovals.remove(approvalId); // not applied: may be retried
                    return unavailable("releasing " + target.get(), e);
                });
    }

    /** The target a lift approval was opened for, only if this flow opened it (requester, class and id agree). */
    static Optional<KillTarget> liftTarget(String approvalId, ApprovalView view) {
        String intent = view.intentId();
        if (!REQUESTER.equals(view.requester()) || !LIFT_ACTION.equals(view.actionClass()) || intent == null
                || !intent.startsWith(INTENT_PREFIX) || !approvalId.equals(ApprovalRequest.idFor(REQUESTER, intent))) {
            return Optional.empty();
        }
        String rest = intent.substring(INTENT_PREFIX.length());
        int dash = rest.lastIndexOf('-');
        int space = rest.indexOf(' ');
        if (dash < 0 || space < 0 || space >= dash) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KillTarget(KillTarget.Scope.valueOf(rest.substring(0, space)),
                    rest.substring(space + 1, dash)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The policies that govern lifting {@code target}: its rail's or pack's; an entity's from its deployed spec. */
    private List<Policy> policiesFor(KillTarget target) {
        PolicyRegistry policies = PolicyRegistry.get(system);
        return switch (target.scope()) {
            case RAIL -> policies.applicable(target.name(), null);
            case PACK -> policies.applicable(null, target.name());
            case ENTITY -> {
                Optional<EntitySpec> spec;
                try {
                    spec = registry.spec(EntityAddress.parse(target.name()));
                } catch (IllegalArgumentException e) {
                    spec = Optional.empty();
                }
                yield spec.map(s -> policies.applicable(s.rail(), s.pack())).orElse(List.of());
            }
        };
    }

    private static ObjectNode requirement(ApprovalRequirement r) {
        ObjectNode node = JSON.createObjectNode().put("kind", r.kind().name()).put("k", r.k());
        ArrayNode approvers = node.putArray("approvers");
        r.approvers().forEach(approvers::add);
        node.put("timeoutSeconds", r.timeout().toSeconds());
        return node;
    }

    private static String clipSummary(String summary) {
        return summary.length() <= ApprovalRequest.MAX_SUMMARY_CHARS ? summary
                : summary.substring(0, ApprovalRequest.MAX_SUMMARY_CHARS - 1) + "…";
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return java.util.concurrent.CompletableFuture.completedFuture(response);
    }

    private HttpResponse unavailable(String what, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String detail = cause instanceof TimeoutException
                ? "no answer within " + askTimeout.toSeconds() + " s" : String.valueOf(cause.getMessage());
        return error(StatusCodes.SERVICE_UNAVAILABLE, "UNAVAILABLE", what + " failed: " + detail);
    }

    /** Cheapest first; the nonce is remembered only once the signature verified, so strangers cannot burn it. */
    private Optional<Refusal> authenticate(String operatorDid, long nonce, byte[] signedBytes, byte[] signature,
            String what) {
        Optional<IdentityDirectory.Principal> principal = identities.lookup(operatorDid);
        if (principal.isEmpty() || !principal.get().name().startsWith(OPERATOR_PREFIX)) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.UNKNOWN_SENDER.name(),
                    "unknown operator " + new Did(operatorDid).shortForm()
                            + ": not admitted on this node as an operator"));
        }
        Optional<String> stale = Staleness.check(nonce, clock.getAsLong(), MAX_AGE, MAX_SKEW);
        if (stale.isPresent()) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.STALE.name(),
                    what + " nonce (the signing time): " + stale.get() + "; check the operator's clock"));
        }
        if (!Ed25519.verify(new Did(operatorDid).publicKey(), signedBytes, signature)) {
            return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.BAD_SIGNATURE.name(),
                    "bad signature: it does not verify against operator " + principal.get().name()
                            + " over the " + what));
        }
        while (true) {
            ReplayGuard current = usedNonces.get();
            ReplayGuard.Verdict verdict = current.check(operatorDid, nonce);
            if (verdict != ReplayGuard.Verdict.FRESH) {
                return Optional.of(new Refusal(StatusCodes.FORBIDDEN, RefusalCode.REPLAYED.name(),
                        "this " + what + "'s nonce was " + (verdict == ReplayGuard.Verdict.REPLAYED ? "already used"
                                : "too far behind the operator's newest one") + "; sign a fresh one"));
            }
            if (usedNonces.compareAndSet(current, current.accept(operatorDid, nonce))) {
                return Optional.empty();
            }
        }
    }

    private static KillOrder.Signed parse(String body) {
        JsonNode root = object(body, FIELDS, "{scope, name, reason, operatorDid, nonce, signature}");
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
        long nonce = nonce(root);
        String operatorDid = did(root);
        KillOrder order = new KillOrder(target, text(root, "reason"), operatorDid, nonce);
        return new KillOrder.Signed(order, signature(root));
    }

    private static JsonNode object(String body, Set<String> fields, String shape) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON body: " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object " + shape);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        return root;
    }

    private static long nonce(JsonNode root) {
        JsonNode nonce = root.get("nonce");
        if (nonce == null || !nonce.isIntegralNumber() || !nonce.canConvertToLong()) {
            throw new IllegalArgumentException("nonce must be an integer (the signing time in epoch milliseconds)");
        }
        return nonce.longValue();
    }

    private static String did(JsonNode root) {
        String operatorDid = text(root, "operatorDid");
        if (!operatorDid.startsWith(Did.PREFIX)) {
            throw new IllegalArgumentException("operatorDid must be a Nexus DID (" + Did.PREFIX + "...)");
        }
        return operatorDid;
    }

    private static byte[] signature(JsonNode root) {
        try {
            return Base64.getDecoder().decode(text(root, "signature"));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("signature")) {
                throw e;
            }
            throw new IllegalArgumentException("signature must be base64");
        }
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
}
