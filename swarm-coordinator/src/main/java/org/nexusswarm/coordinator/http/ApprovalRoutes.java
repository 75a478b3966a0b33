package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.error;
import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.approval.Approvals;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.nexusswarm.safety.api.approval.VoteReply;

/**
 * The operator API's approval routes.
 *
 * <ul>
 *   <li>{@code GET /approvals}: {@code {"pending": [view, ...]}}, the cluster-wide pending index, oldest first.</li>
 *   <li>{@code GET /approvals/{id}}: the request's view; 404 if no request was opened under the id.</li>
 *   <li>{@code POST /approvals/{id}/votes} with {@code {"token": "<signed vote command>"}} (kind {@code vote},
 *       body {@code {approvalId, approve, comment}}, issued by the approver's key; {@code swarm approvals approve}
 *       builds it): an adapter over {@link OperatorCommands#vote}. 200 with the view after the vote; a refused
 *       vote answers {@code {"code", "detail", "error"}} with 403 (not an approver, forged signature, or the
 *       token refused), 409 (duplicate voter, replayed, already decided), 404 (unknown request) or 400.</li>
 * </ul>
 *
 * <p>Votes authenticate themselves (the approver's signed command, whose nonce is spent once); reads are unauthenticated, like the rest of the
 * operator API's read routes. Other errors are {@code {"error": "..."}}: 400 for a bad id or body, 503 when the
 * request does not answer in time.
 */
public final class ApprovalRoutes extends AllDirectives implements OperatorRoutes {

    static final long MAX_BODY_BYTES = 16 * 1024;
    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<String> FIELDS = Set.of("approverDid", "approve", "nonce", "comment", "signature");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ActorSystem<?> system;
    private final Duration askTimeout;

    public ApprovalRoutes(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
    }

    /** Asks with {@code nexus.swarm.ask-timeout} (15 s when not configured). */
    public ApprovalRoutes(ActorSystem<?> system) {
        this(system, system.settings().config().hasPath("nexus.swarm.ask-timeout")
                ? system.settings().config().getDuration("nexus.swarm.ask-timeout") : DEFAULT_ASK_TIMEOUT);
    }

    @Override
    public Route route() {
        return pathPrefix("approvals", () -> concat(
                pathEnd(() -> get(this::list)),
                pathPrefix(PathMatchers.segment(), id -> concat(
                        pathEnd(() -> get(() -> show(id))),
                        path("votes", () -> post(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                                entity(Unmarshaller.entityToString(), body -> vote(id, body)))))))));
    }

    private Route list() {
        CompletionStage<HttpResponse> answer = Approvals.pending(system)
                .thenApply(views -> {
                    ObjectNode body = JSON.createObjectNode();
                    ArrayNode pending = body.putArray("pending");
                    views.forEach(v -> pending.add(toJson(v)));
                    return json(StatusCodes.OK, body);
                })
                .exceptionally(e -> error(StatusCodes.SERVICE_UNAVAILABLE,
                        "the pending approvals could not be read: " + cause(e).getMessage()));
        return completeWithFuture(answer);
    }

    private Route show(String id) {
        if (!Approvals.isValidId(id)) {
            return complete(badId(id));
        }
        CompletionStage<HttpResponse> answer = Approvals.view(system, id, askTimeout)
                .thenApply(view -> view.status() == ApprovalView.Status.UNKNOWN
                        ? error(StatusCodes.NOT_FOUND, "no approval request " + id)
                        : json(StatusCodes.OK, toJson(view)))
                .exceptionally(e -> unavailable(id, e));
        return completeWithFuture(answer);
    }

    private Route vote(String id, String body) {
        if (!Approvals.isValidId(id)) {
            return complete(badId(id));
        }
        return completeWithFuture(SignedCommands.handle(body, token -> OperatorCommands.get(system).vote(id, token),
                reply -> {
                    if (reply instanceof ApprovalView view) {
                        return json(StatusCodes.OK, toJson(view));
                    }
                    VoteReply.Refused refused = (VoteReply.Refused) reply;
                    return refusal(statusOf(refused), refused.codeName(), refused.detail());
                }));
    }

    private static StatusCode statusOf(VoteReply.Refused refused) {
        VoteReply.Code code;
        try {
            code = refused.code();
        } catch (IllegalArgumentException e) {
            return StatusCodes.CONFLICT;
        }
        return switch (code) {
            // A replayed token is refused like any replayed operator command, wherever it is caught.
            case NOT_APPROVER, FORGED_SIGNATURE, WRONG_AUDIENCE, LEGACY_FORMAT, REPLAYED -> StatusCodes.FORBIDDEN;
            case DUPLICATE_VOTER, ALREADY_DECIDED -> StatusCodes.CONFLICT;
            case UNKNOWN_REQUEST -> StatusCodes.NOT_FOUND;
            case MALFORMED -> StatusCodes.BAD_REQUEST;
            case UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
        };
    }

    /** The JSON form of a view (also what {@code swarm approvals list} prints from). */
    public static ObjectNode toJson(ApprovalView view) {
        ObjectNode out = JSON.createObjectNode()
                .put("approvalId", view.approvalId())
                .put("status", view.status().name())
                .put("requester", String.valueOf(view.requester()))
                .put("intentId", view.intentId())
                .put("actionClass", view.actionClass())
                .put("summary", view.summary());
        ApprovalRequirement requirement = view.requirement();
        if (requirement != null) {
            ObjectNode r = out.putObject("requirement")
                    .put("kind", requirement.kind().name())
                    .put("k", requirement.k())
                    .put("n", requirement.approvers().size())
                    .put("timeoutSeconds", requirement.timeout().toSeconds());
            requirement.approvers().forEach(r.putArray("approvers")::add);
        }
        out.put("openedAt", Instant.ofEpochMilli(view.openedAtMillis()).toString())
                .put("deadline", Instant.ofEpochMilli(view.deadlineMillis()).toString());
        view.approvedBy().forEach(out.putArray("approvedBy")::add);
        view.rejectedBy().forEach(out.putArray("rejectedBy")::add);
        ApprovalDecided decision = view.decision();
        if (decision != null) {
            ObjectNode d = out.putObject("decision")
                    .put("approved", decision.approved())
                    .put("reason", decision.reason());
            decision.voters().forEach(d.putArray("voters")::add);
        }
        return out;
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + (v == null ? " is missing" : " must be a string"));
        }
        return v.textValue();
    }

    private static HttpResponse badId(String id) {
        return error(StatusCodes.BAD_REQUEST, "not an approval id: '" + clip(id) + "' (1-"
                + Approvals.MAX_ID_CHARS + " characters of A-Z a-z 0-9 . _ : @ -)");
    }

    private HttpResponse unavailable(String id, Throwable e) {
        Throwable cause = cause(e);
        String why = cause instanceof TimeoutException
                ? "did not answer within " + askTimeout.toSeconds() + " s"
                : "could not be asked: " + cause.getMessage();
        return error(StatusCodes.SERVICE_UNAVAILABLE, "approval request " + id + " " + why);
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static HttpResponse refusal(StatusCode status, String code, String detail) {
        return json(status, JSON.createObjectNode().put("code", code).put("detail", detail)
                .put("error", code + ": " + detail));
    }



    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
