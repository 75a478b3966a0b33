package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.nexusswarm.coordinator.rail.RailDeployment;
import org.nexusswarm.coordinator.rail.RailDeployments;
import org.nexusswarm.coordinator.rail.RailDeployments.DeploymentRefused;
import org.nexusswarm.coordinator.rail.RailHost;
import org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;

/**
 * The operator API's rail routes, adapters over {@link RailDeployments} (the cluster's rail deployment registry):
 * <ul>
 *   <li>{@code POST /rails} {@code {"token"}}, kind {@code rail-deploy}, body {@code {pack, rail, instance
 *       ("" = the rail's name), postQuantum}}: 200 the stored record; 409 {@code CONFLICT} when the instance is deployed; 400
 *       {@code INVALID} / 403 {@code PACK_REFUSED}; signed-command refusals as in {@link SignedCommands}.</li>
 *   <li>{@code POST /rails/{instance}/undeploy} {@code {"token"}}, kind {@code rail-undeploy}, body
 *       {@code {instance}} (the same as the path's): 200 the removed record; 404 {@code NOT_FOUND}; 403
 *       {@code FORBIDDEN} when this node does not hold the rail's secret (the registry needs the issuer's
 *       signature).</li>
 *   <li>{@code GET /rails}: {@code {"rails": [record + {hostedHere, refusal}]}}; {@code GET /rails/{instance}}: one,
 *       or 404. Unauthenticated reads (records hold no secrets).</li>
 * </ul>
 */
public final class RailRoutes extends AllDirectives implements OperatorRoutes {

    static final long MAX_BODY_BYTES = 32 * 1024;

    private final RailDeployments deployments;
    private final ActorRef<RailHost.Command> host;
    private final ActorSystem<?> system;
    private final Duration timeout;
    private final Executor blocking;

    public RailRoutes(ActorSystem<?> system, RailDeployments deployments, ActorRef<RailHost.Command> host,
            Duration timeout) {
        this.system = system;
        this.deployments = deployments;
        this.host = host;
        this.timeout = timeout;
        this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public Route route() {
        return pathPrefix("rails", () -> concat(
                pathEnd(() -> concat(
                        get(() -> completeWithFuture(list(null))),
                        post(() -> withSizeLimit(MAX_BODY_BYTES, () -> entity(Unmarshaller.entityToString(),
                                body -> completeWithFuture(deploy(body))))))),
                path(PathMatchers.segment().slash("undeploy"), instance -> post(() -> withSizeLimit(MAX_BODY_BYTES,
                        () -> entity(Unmarshaller.entityToString(), body -> completeWithFuture(
                                undeploy(instance, body)))))),
                path(PathMatchers.segment(), instance -> get(() -> completeWithFuture(list(instance))))));
    }

    private CompletionStage<HttpResponse> deploy(String body) {
        return signed(body, OperatorCommandKind.RAIL_DEPLOY, cmd -> {
            String instance = cmd.optionalText("instance");
            boolean pq = cmd.flag("postQuantum");
            RailDeployments.Deployed done = deployments.deploy(cmd.text("pack"), cmd.text("rail"),
                    instance.isBlank() ? null : instance, pq, false, new java.io.PrintWriter(java.io.Writer.nullWriter()));
            ObjectNode ok = record(done.record());
            ok.put("entities", done.rail().specs().size()).put("operator", cmd.operator());
            return SignedCommands.ok(ok);
        });
    }

    private CompletionStage<HttpResponse> undeploy(String instance, String body) {
        return signed(body, OperatorCommandKind.RAIL_UNDEPLOY, cmd -> {
            if (!cmd.text("instance").equals(instance)) {
                throw new OperatorCommandRefused(OperatorCommandRefused.Code.WRONG_TARGET, "the command undeploys "
                        + SignedCommands.clip(cmd.text("instance")) + ", not " + SignedCommands.clip(instance));
            }
            ObjectNode ok = record(deployments.undeploy(instance));
            ok.put("undeployedBy", cmd.operator());
            return SignedCommands.ok(ok);
        });
    }

    private interface Service {
        HttpResponse run(VerifiedOperatorCommand cmd) throws Exception;
    }

    /** Authenticates (nonce claimed), then runs the blocking service on the blocking dispatcher. */
    private CompletionStage<HttpResponse> signed(String body, OperatorCommandKind kind, Service service) {
        String token;
        try {
            token = SignedCommands.token(body);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(SignedCommands.refusal(
                    new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, e.getMessage())));
        }
        return OperatorCommandAuthenticator.get(system).authenticate(token, kind)
                .thenApplyAsync(cmd -> {
                    try {
                        return service.run(cmd);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, blocking)
                .handle((response, failure) -> failure == null ? response : refusal(failure));
    }

    private static HttpResponse refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof DeploymentRefused refused) {
            StatusCode status = switch (refused.kind()) {
                case CONFLICT -> StatusCodes.CONFLICT;
                case NOT_FOUND -> StatusCodes.NOT_FOUND;
                case PACK_REFUSED, FORBIDDEN -> StatusCodes.FORBIDDEN;
                case INVALID -> StatusCodes.BAD_REQUEST;
            };
            return JsonResponses.error(status, refused.kind().name(), refused.kind() + ": " + refused.getMessage());
        }
        return SignedCommands.refusal(cause);
    }

    private CompletionStage<HttpResponse> list(String only) {
        CompletionStage<Map<String, RailHost.Status>> hosting = AskPattern.ask(host, RailHost.GetStatus::new,
                timeout, system.scheduler()).thenApply(RailHost.Hosting::byInstance);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return deployments.list();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, blocking).thenCombine(hosting, (all, here) -> {
            ArrayNode rails = SignedCommands.JSON.createArrayNode();
            for (RailDeployment r : all.records()) {
                if (only != null && !only.equals(r.instance())) {
                    continue;
                }
                ObjectNode node = record(r);
                RailHost.Status status = here.get(r.instance());
                node.put("hostedHere", status != null && status.hosted() && status.issuerDid().equals(r.issuerDid()));
                if (status != null && !status.hosted()) {
                    node.put("refusal", status.reason()).put("refusalDetail", status.detail());
                }
                rails.add(node);
            }
            if (only != null) {
                return rails.isEmpty() ? JsonResponses.error(StatusCodes.NOT_FOUND, "NOT_FOUND",
                        "no rail instance " + SignedCommands.clip(only) + " is deployed")
                        : SignedCommands.ok(rails.get(0));
            }
            ObjectNode body = SignedCommands.JSON.createObjectNode();
            body.set("rails", rails);
            return SignedCommands.ok(body);
        }).exceptionally(failure -> JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, "UNAVAILABLE",
                "the rail deployment registry did not answer: " + failure.getMessage()));
    }

    /** The record as JSON (no secrets in it). */
    static ObjectNode record(RailDeployment r) {
        ObjectNode node = SignedCommands.JSON.createObjectNode()
                .put("instance", r.instance()).put("pack", r.pack()).put("rail", r.rail())
                .put("agents", r.agents()).put("delegators", r.delegators()).put("rogueAgents", r.rogueAgents())
                .put("replicas", r.replicas()).put("quorum", r.quorum()).put("seed", r.seed())
                .put("deployedAt", Instant.ofEpochMilli(r.deployedAt()).toString())
                .put("credentialsValidUntil", Instant.ofEpochMilli(r.notAfter()).toString())
                .put("postQuantum", r.postQuantum()).put("issuer", r.issuerDid())
                .put("policyVersion", r.policyVersion());
        return node;
    }
}
