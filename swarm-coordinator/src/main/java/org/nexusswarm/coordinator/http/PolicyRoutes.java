package org.nexusswarm.coordinator.http;

import static org.nexusswarm.coordinator.http.JsonResponses.error;
import static org.nexusswarm.coordinator.http.JsonResponses.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
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
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.policy.Policies;

/**
 * The operator API's policy part:
 * <ul>
 *   <li>{@code PUT /policies/{scope}} with {@code {"token": "<signed policy command>"}} (kind {@code policy},
 *       body {@code {scope, text}}, the scope the same as the path's) → 200 {@code {"scope", "version"}};
 *       refusals as in {@link SignedCommands} (400 also for a text the store refuses: code {@code INVALID}).</li>
 *   <li>{@code GET /policies/{scope}} → 200 {@code {"scope", "version", "sha256", "text", "operatorDid"}}, or 404.</li>
 * </ul>
 * An adapter over {@link OperatorCommands#pushPolicy}: the scope's policy store checks the command again, journals it
 * and only then publishes the policy.
 */
public final class PolicyRoutes extends AllDirectives implements OperatorRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for the largest policy-push token (which carries the text) and the JSON around it. */
    private static final long MAX_BODY_BYTES = OperatorCommandSettings.DEFAULTS.maxPolicyTokenChars() + 4096L;

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

    /** Routes asking the journaled policy stores of {@code system} (registered here if not yet). */
    public PolicyRoutes(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
        Policies.startStores(system);
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
        return SignedCommands.handle(body, token -> OperatorCommands.get(system).pushPolicy(scope, token),
                version -> json(StatusCodes.OK, JSON.createObjectNode().put("scope", scope).put("version", version)));
    }

    private CompletionStage<HttpResponse> current(String scope) {
        if (!Policy.isValidScope(scope)) {
            return done(badScope(scope));
        }
        return Policies.current(system, scope, askTimeout)
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
