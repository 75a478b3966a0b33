package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * A one-node cluster (self-joined, every message through Kryo) with {@link KillSwitchRoutes} bound on a free
 * loopback port. {@link #operator} (private key {@link #operatorPrivateKey}) is admitted as {@code operator:alice},
 * {@link #agent} as an agent.
 */
public final class KillSwitchTestNode implements AutoCloseable {

    public final ActorTestKit testKit;
    public final KillSwitch killSwitch;
    /** The operator's raw private key, as {@code swarm kill --operator-key} reads it (base64 in a file). */
    public final byte[] operatorPrivateKey = new SecureRandom().generateSeed(32);
    public final SwarmKeyPair operator = SwarmKeyPair.of(operatorPrivateKey);
    public final SwarmKeyPair agent = Ed25519.generate();
    private final ServerBinding binding;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public KillSwitchTestNode(String name) throws Exception {
        testKit = ActorTestKit.create(name, ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.actor.serialize-messages = on
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                nexus.swarm.safety.operator-commands.audience = "nexus-swarm"
                """).withFallback(org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin.config())
                .withFallback(org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test")));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        SafetyRegistry registry = SafetyRegistry.get(testKit.system());
        registry.identities().admit(operator.did(), "operator:alice");
        registry.identities().admit(agent.did(), "agent:drought-watch.agent-001");
        killSwitch = KillSwitch.get(testKit.system());
        binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
                .bind(new KillSwitchRoutes(testKit.system()).route())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        testKit.shutdownTestKit();
    }
}
