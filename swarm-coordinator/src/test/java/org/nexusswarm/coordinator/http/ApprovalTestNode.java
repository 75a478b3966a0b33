package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.internal.approval.ApprovalNotifier;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;

/**
 * A one-node cluster (self-joined, sharding, in-memory journal, every message through Kryo) with the approval
 * entity registered and the operator API bound on a free port. Decisions go to {@link #decisions} instead of
 * requester supervisors (none are deployed here).
 */
public final class ApprovalTestNode implements AutoCloseable {

    private static final AtomicLong IDS = new AtomicLong();

    public final ActorTestKit testKit;
    public final OperatorApi api;
    public final TestProbe<ApprovalDecided> decisions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApprovalTestNode(String name) throws Exception {
        Config config = ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.actor.serialize-messages = on
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                nexus.swarm.operator-api.port = 0
                nexus.swarm.safety.operator-commands.audience = "nexus-swarm"
                """).withFallback(PersistenceTestKitPlugin.config());
        testKit = ActorTestKit.create(name, config);
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        decisions = testKit.createTestProbe();
        decisions.awaitAssert(Duration.ofSeconds(20),
                () -> {
                    assertEquals(MemberStatus.up(), cluster.selfMember().status());
                    return null;
                });
        ApprovalRequest.init(testKit.system());
        ApprovalRequest.init(testKit.system());
        var decided = decisions.ref();
        ApprovalNotifier.get(testKit.system()).deliverWith((requester, decision) -> decided.tell(decision.decided()));
        api = OperatorApi.start(testKit.system(), List.of(new ApprovalRoutes(testKit.system())))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static String freshId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    public String url() {
        return api.url();
    }

    /** Opens {@code approvalId} through sharding, as a requester's supervisor would. */
    public void open(String approvalId, ApprovalRequirement requirement) throws Exception {
        StatusReply<Done> reply = ApprovalRequest.entityRef(testKit.system(), approvalId)
                .<StatusReply<Done>>ask(replyTo -> new ApprovalRequest.Open(approvalId,
                        EntityAddress.of(EntityKind.AGENT, "agent-for-" + approvalId), "intent-1", "water.divert",
                        "divert 40 m3 to cell 42", requirement, replyTo), Duration.ofSeconds(10))
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(reply.isSuccess(), String.valueOf(reply));
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

    @Override
    public void close() {
        testKit.shutdownTestKit();
    }
}
