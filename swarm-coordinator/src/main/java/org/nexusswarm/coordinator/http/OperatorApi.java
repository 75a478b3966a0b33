package org.nexusswarm.coordinator.http;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's operator HTTP API: one pekko-http server that serves {@code GET /health} and the routes of every
 * feature ({@link OperatorRoutes}: approvals, revocations, kill switch, policy), each authenticating its own
 * requests.
 *
 * <p>Host and port come from {@code nexus.swarm.operator-api.host} (default {@value #DEFAULT_HOST}) and
 * {@code .port} (default {@value #DEFAULT_PORT}; 0 picks a free port). The binding is added to coordinated
 * shutdown, so it is released when the actor system terminates. Caveat: plain HTTP; bind it to loopback or an
 * operators' network (read routes are unauthenticated).
 */
public final class OperatorApi {

    public static final String HOST_KEY = "nexus.swarm.operator-api.host";
    public static final String PORT_KEY = "nexus.swarm.operator-api.port";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8558;
    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(5);

    private final ServerBinding binding;

    private OperatorApi(ServerBinding binding) {
        this.binding = binding;
    }

    /** Binds the API where the system's configuration says; completes when the port is bound. */
    public static CompletionStage<OperatorApi> start(ActorSystem<?> system, List<? extends OperatorRoutes> features) {
        Config config = system.settings().config();
        String host = config.hasPath(HOST_KEY) ? config.getString(HOST_KEY) : DEFAULT_HOST;
        int port = config.hasPath(PORT_KEY) ? config.getInt(PORT_KEY) : DEFAULT_PORT;
        return start(system, host, port, features);
    }

    /** Binds the API on {@code host:port} (port 0: any free port); completes when the port is bound. */
    public static CompletionStage<OperatorApi> start(ActorSystem<?> system, String host, int port,
            List<? extends OperatorRoutes> features) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT_KEY + " must be 0-65535 (0 = any free port), was " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST_KEY + " must name an interface, e.g. 127.0.0.1");
        }
        return Http.get(system).newServerAt(host, port).bind(route(features))
                .thenApply(b -> new OperatorApi(b.addToCoordinatedShutdown(SHUTDOWN_DEADLINE, system)));
    }

    /** {@code GET /health} followed by every feature's routes. */
    public static Route route(List<? extends OperatorRoutes> features) {
        Route health = Directives.path("health", () -> Directives.get(() -> Directives.complete(
                HttpResponse.create().withStatus(StatusCodes.OK)
                        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":\"ok\"}")))));
        return Directives.concat(health, features.stream().map(OperatorRoutes::route).toArray(Route[]::new));
    }

    /** The address actually bound (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** {@code http://host:port}, for logs and the command line's {@code --node}. */
    public String url() {
        InetSocketAddress a = address();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    /** Stops accepting connections and ends open ones within a few seconds. */
    public CompletionStage<Done> stop() {
        return binding.terminate(SHUTDOWN_DEADLINE).thenApply(terminated -> Done.getInstance());
    }
}
