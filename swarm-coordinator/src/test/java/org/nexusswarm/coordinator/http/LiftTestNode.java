package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.internal.approval.ApprovalNotifier;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * A one-node cluster (self-joined, sharding, in-memory journal, every message through Kryo) with the approval
 * entity, the kill switch routes and the approval routes bound on a free port. {@link #operator} is admitted as
 * {@code operator:alice}; rail {@value #RAIL} has a policy whose {@code safety.release} rule needs 2 of
 * {@link #approvers}. Decisions are not delivered (no requester is deployed).
 */
public final class LiftTestNode implements AutoCloseable {

    public static final String RAIL = "drought-watch";

    public final ActorTestKit testKit;
    public final KillSwitch killSwitch;
    public final byte[] operatorPrivateKey = new SecureRandom().generateSeed(32);
    public final SwarmKeyPair operator = SwarmKeyPair.of(operatorPrivateKey);
    public final List<SwarmKeyPair> approvers = List.of(Ed25519.generate(), Ed25519.generate(), Ed25519.generate());
    private final OperatorApi api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LiftTestNode(String name) throws Exception {
        testKit = ActorTestKit.create(name, ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.actor.serialize-messages = on
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                nexus.swarm.safety.operator-commands.audience = "nexus-swarm"
                """).withFallback(PersistenceTestKitPlugin.config()));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        SafetyRegistry.get(testKit.system()).identities().admit(operator.did(), "operator:alice");
        ApprovalRequest.init(testKit.system());
        ApprovalNotifier.get(testKit.system()).deliverWith((requester, decided) -> { });
        PolicyRegistry.get(testKit.system()).loadLocal(PolicyParser.parse("""
                scope = "rail:%s"
                version = 1
                rules {
                  release {
                    action = "safety.release"
                    approval { quorum { k = 2, approvers = ["%s", "%s", "%s"], timeout = 1m } }
                  }
                }
                """.formatted(RAIL, approvers.get(0).did().value(), approvers.get(1).did().value(),
                approvers.get(2).did().value())));
        killSwitch = KillSwitch.get(testKit.system());
        api = OperatorApi.start(testKit.system(), "127.0.0.1", 0, List.of(new KillSwitchRoutes(testKit.system()),
                new ApprovalRoutes(testKit.system()))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return api.url();
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        api.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
        testKit.shutdownTestKit();
    }
}
