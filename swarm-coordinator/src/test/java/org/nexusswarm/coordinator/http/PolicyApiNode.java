package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * A one-node cluster serving {@link PolicyRoutes} on a free port, with the in-memory test journal and an
 * admitted operator whose raw private key is known (for the CLI's key file).
 */
public final class PolicyApiNode implements AutoCloseable {

    public final ActorTestKit testKit;
    public final byte[] operatorPrivateKey = new byte[32];
    public final SwarmKeyPair operator;
    public final SwarmKeyPair agent;
    private final ServerBinding binding;

    public PolicyApiNode(String name) throws Exception {
        testKit = ActorTestKit.create(name, ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.actor.provider = cluster
                pekko.actor.serialize-messages = on
                pekko.remote.artery.transport = tcp
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                nexus.swarm.safety.operator-commands.audience = "nexus-swarm"
                """).withFallback(PersistenceTestKitPlugin.config()).withFallback(PersistenceTestKitSnapshotPlugin.config()));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        new SecureRandom().nextBytes(operatorPrivateKey);
        operator = SwarmKeyPair.of(operatorPrivateKey);
        agent = org.nexusswarm.actors.identity.Ed25519.generate();
        SafetyRegistry.get(testKit.system()).identities().admit(operator.did(), "operator:alice");
        SafetyRegistry.get(testKit.system()).identities().admit(agent.did(), "agent:grid.agent-1");
        PolicyRoutes routes = new PolicyRoutes(testKit.system(), Duration.ofSeconds(10));
        binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(routes.route())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    @Override
    public void close() {
        binding.unbind();
        testKit.shutdownTestKit();
    }
}
