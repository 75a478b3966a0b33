package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/** {@code GET /cluster} and {@code POST /cluster/leave} on a one-node cluster. */
class ClusterRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(ServerBinding b, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.localAddress().getPort()
                + path)).timeout(Duration.ofSeconds(20));
        r = body == null ? r.GET() : r.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusShowsTheMemberAndOnlyASignedLeaveNamingThisNodeMakesItLeave() throws Exception {
        KillSwitchTestNode node = new KillSwitchTestNode("ClusterRoutesTest");
        try {
            var system = node.testKit.system();
            ServerBinding b = Http.get(system).newServerAt("127.0.0.1", 0)
                    .bind(new ClusterStatusRoutes(system, Duration.ofSeconds(10)).route())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            String self = Cluster.get(system).selfMember().address().toString();

            JsonNode status = JSON.readTree(send(b, "/cluster", null).body());
            assertEquals(self, status.get("self").asText());
            assertEquals("Up", status.get("selfStatus").asText());
            assertEquals(1, status.get("members").size());
            assertTrue(status.get("members").get(0).get("reachable").asBoolean());
            assertTrue(status.get("hosted").has("agent"), status.toString());
            assertTrue(status.get("hosted").get("agent").path("ids").isMissingNode(), "ids only when asked");
            JsonNode withIds = JSON.readTree(send(b, "/cluster?entities=true", null).body());
            assertTrue(withIds.get("hosted").get("agent").get("ids").isArray(), withIds.toString());

            String other = OperatorBodies.signed(node.operator, OperatorCommandKind.LEAVE,
                    OperatorTokens.body("node", "pekko://nexus-swarm@10.0.0.9:25520", "reason", "resize")).toString();
            HttpResponse<String> wrong = send(b, "/cluster/leave", other);
            assertEquals(403, wrong.statusCode(), wrong.body());
            assertEquals("WRONG_TARGET", JSON.readTree(wrong.body()).path("code").asText());
            assertEquals("REPLAYED", JSON.readTree(send(b, "/cluster/leave", other).body()).path("code").asText(),
                    "a refused leave spent its nonce");
            HttpResponse<String> kill = send(b, "/cluster/leave", OperatorBodies.signed(node.operator,
                    OperatorCommandKind.KILL, OperatorTokens.body("node", self, "reason", "x")).toString());
            assertEquals("WRONG_KIND", JSON.readTree(kill.body()).path("code").asText(), kill.body());
            HttpResponse<String> stranger = send(b, "/cluster/leave", OperatorBodies.signed(Ed25519.generate(),
                    OperatorCommandKind.LEAVE, OperatorTokens.body("node", self, "reason", "x")).toString());
            assertEquals("UNKNOWN_OPERATOR", JSON.readTree(stranger.body()).path("code").asText());
            HttpResponse<String> agent = send(b, "/cluster/leave", OperatorBodies.signed(node.agent,
                    OperatorCommandKind.LEAVE, OperatorTokens.body("node", self, "reason", "x")).toString());
            assertEquals("UNKNOWN_OPERATOR", JSON.readTree(agent.body()).path("code").asText(),
                    "an entity's key is no operator's");
            assertEquals(400, send(b, "/cluster/leave", "{nope").statusCode());
            assertEquals("Up", Cluster.get(system).selfMember().status().toString(), "still a member after all that");

            HttpResponse<String> leave = send(b, "/cluster/leave", OperatorBodies.signed(node.operator,
                    OperatorCommandKind.LEAVE, OperatorTokens.body("node", self, "reason", "resize")).toString());
            assertEquals(200, leave.statusCode(), leave.body());
            assertEquals(self, JSON.readTree(leave.body()).get("leaving").asText());
            // Leaving, then removed: the cluster runs coordinated shutdown and the system terminates.
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            node.testKit.shutdownTestKit();
        }
    }
}
