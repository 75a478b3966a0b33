package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.monitor.KillSwitches;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.KillSwitchOperations;
import org.nexusswarm.safety.api.operator.OperatorCommands;

/**
 * The operator API's kill switch routes: adapters over {@link KillSwitchOperations} (through
 * {@link OperatorCommands}). Every POST body is {@code {"token": "<signed operator command>"}}; refusals are
 * {@code {"error", "code", "detail"}} (see {@link SignedCommands}).
 *
 * <ul>
 *   <li>{@code POST /kill-switch}, a {@code kill} command {@code {scope, name, reason}}: 200
 *       {@code {engaged, operator, replication}} once this node's kill switch covers the target.</li>
 *   <li>{@code GET /kill-switch}: {@code {"engaged": [{scope, name, operator, reason}...]}}, unauthenticated
 *       (bind the operator API to an operators' network).</li>
 *   <li>{@code POST /kill-switch/lift-requests}, a {@code lift-request} command {@code {scope, name, reason}}: 200
 *       {@code {approvalId, target, requirement, rule, policyVersions}}; 409 when the target is not engaged or no
 *       rule names approvers (fail closed).</li>
 *   <li>{@code POST /kill-switch/lifts}, a {@code lift} command {@code {approvalId}}: 200
 *       {@code {lifted, approvalId, replication}} once the approval is approved; 404 unknown approval; 409
 *       pending, rejected, not a lift, too old, or already applied.</li>
 * </ul>
 */
public final class KillSwitchRoutes extends AllDirectives implements OperatorRoutes {

    static final long MAX_BODY_BYTES = 32 * 1024;

    private final OperatorCommands commands;
    private final java.util.function.Supplier<java.util.List<KillSwitches.Engagement>> engaged;

    public KillSwitchRoutes(OperatorCommands commands,
            java.util.function.Supplier<java.util.List<KillSwitches.Engagement>> engaged) {
        this.commands = commands;
        this.engaged = engaged;
    }

    /** The routes of {@code system}'s operator commands and kill switch. */
    public KillSwitchRoutes(ActorSystem<?> system) {
        this(OperatorCommands.get(system), () -> KillSwitches.engaged(system));
    }

    @Override
    public Route route() {
        return pathPrefix("kill-switch", () -> concat(
                pathEnd(() -> concat(
                        post(() -> withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(),
                                body -> completeWithFuture(SignedCommands.handle(body, commands::engage,
                                        KillSwitchRoutes::engaged))))),
                        get(() -> complete(list())))),
                path("lift-requests", () -> post(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), body -> completeWithFuture(SignedCommands.handle(body,
                                commands::requestLift, KillSwitchRoutes::liftRequested)))))),
                path("lifts", () -> post(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                        entity(Unmarshaller.entityToString(), body -> completeWithFuture(SignedCommands.handle(body,
                                commands::lift, KillSwitchRoutes::lifted))))))));
    }

    private static HttpResponse engaged(KillSwitchOperations.Engaged e) {
        ObjectNode ok = SignedCommands.JSON.createObjectNode();
        ok.set("engaged", target(e.target()));
        ok.put("operator", e.operator()).put("replication", e.replication());
        return SignedCommands.ok(ok);
    }

    private static HttpResponse liftRequested(KillSwitchOperations.LiftRequested r) {
        ObjectNode ok = SignedCommands.JSON.createObjectNode().put("approvalId", r.approvalId());
        ok.set("target", target(r.target()));
        ok.set("requirement", requirement(r.requirement()));
        ok.put("rule", r.rule()).put("policyVersions", r.policyVersions());
        return SignedCommands.ok(ok);
    }

    private static HttpResponse lifted(KillSwitchOperations.Lifted l) {
        ObjectNode ok = SignedCommands.JSON.createObjectNode();
        ok.set("lifted", target(l.target()));
        ok.put("approvalId", l.approvalId()).put("replication", l.replication());
        return SignedCommands.ok(ok);
    }

    private static ObjectNode requirement(ApprovalRequirement r) {
        ObjectNode node = SignedCommands.JSON.createObjectNode().put("kind", r.kind().name()).put("k", r.k());
        ArrayNode approvers = node.putArray("approvers");
        r.approvers().forEach(approvers::add);
        node.put("timeoutSeconds", r.timeout().toSeconds());
        return node;
    }

    private HttpResponse list() {
        ObjectNode body = SignedCommands.JSON.createObjectNode();
        ArrayNode engaged = body.putArray("engaged");
        for (KillSwitches.Engagement e : this.engaged.get()) {
            engaged.add(target(e.target()).put("operator", e.operator()).put("reason", e.reason()));
        }
        return json(StatusCodes.OK, body);
    }

    private static ObjectNode target(KillTarget t) {
        return SignedCommands.JSON.createObjectNode().put("scope", t.scope().name()).put("name", t.name());
    }
}
