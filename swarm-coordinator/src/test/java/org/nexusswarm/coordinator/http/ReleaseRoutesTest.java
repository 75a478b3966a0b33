package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/**
 * {@code POST /entities/{entity}/release}: the command is checked at the edge before anything reaches the entity
 * (that the supervisor checks it again is {@code ForgedOperatorCommandTest}'s business).
 */
class ReleaseRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTITY = "agent:drought-watch.agent-001";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static KillSwitchTestNode node;
    private static ServerBinding binding;

    @BeforeAll
    static void start() throws Exception {
        node = new KillSwitchTestNode("ReleaseRoutesTest");
        binding = Http.get(node.testKit.system()).newServerAt("127.0.0.1", 0)
                .bind(new ReleaseRoutes(node.testKit.system()).route()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        node.close();
    }

    private static HttpResponse<String> release(String entity, String body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/entities/" + entity
                + "/release");
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        return body.path("code").asText();
    }

    private static String releaseOf(String entity) {
        return OperatorBodies.signed(node.operator, OperatorCommandKind.RELEASE,
                OperatorTokens.body("entity", entity, "reason", "checked by hand")).toString();
    }

    @Test
    void aReleaseForAnotherEntityThanThePathIsRefused() throws Exception {
        HttpResponse<String> r = release(ENTITY, releaseOf("agent:drought-watch.agent-002"));
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("WRONG_TARGET", code(r));
    }

    @Test
    void forgedForeignAndMiskindedReleasesAreRefused() throws Exception {
        HttpResponse<String> forged = release(ENTITY, OperatorBodies.forged(Ed25519.generate(), node.operator,
                OperatorCommandKind.RELEASE, OperatorTokens.body("entity", ENTITY, "reason", "x")).toString());
        assertEquals(403, forged.statusCode(), forged.body());
        assertEquals("BAD_SIGNATURE", code(forged));
        HttpResponse<String> stranger = release(ENTITY, OperatorBodies.signed(Ed25519.generate(),
                OperatorCommandKind.RELEASE, OperatorTokens.body("entity", ENTITY, "reason", "x")).toString());
        assertEquals("UNKNOWN_OPERATOR", code(stranger));
        HttpResponse<String> agent = release(ENTITY, OperatorBodies.signed(node.agent, OperatorCommandKind.RELEASE,
                OperatorTokens.body("entity", ENTITY, "reason", "let me out")).toString());
        assertEquals("UNKNOWN_OPERATOR", code(agent), "the entity's own key is no operator's");
        HttpResponse<String> kill = release(ENTITY, OperatorBodies.signed(node.operator, OperatorCommandKind.KILL,
                OperatorTokens.body("entity", ENTITY, "reason", "x")).toString());
        assertEquals("WRONG_KIND", code(kill));
    }

    @Test
    void aRefusedReleaseIsNotReplayableEither() throws Exception {
        String captured = releaseOf("agent:drought-watch.agent-003");
        assertEquals("WRONG_TARGET", code(release(ENTITY, captured)));
        assertEquals("REPLAYED", code(release("agent:drought-watch.agent-003", captured)),
                "its nonce was spent by the first (authenticated) presentation");
    }

    @Test
    void malformedReleasesAreBadRequests() throws Exception {
        assertEquals(400, release(ENTITY, "{nope").statusCode());
        assertEquals(400, release(ENTITY, "{\"reason\": \"x\"}").statusCode());
        HttpResponse<String> noReason = release(ENTITY, OperatorBodies.signed(node.operator,
                OperatorCommandKind.RELEASE, OperatorTokens.body("entity", ENTITY)).toString());
        assertEquals(400, noReason.statusCode(), noReason.body());
        HttpResponse<String> notAnEntity = release("nonsense", OperatorBodies.signed(node.operator,
                OperatorCommandKind.RELEASE, OperatorTokens.body("entity", "nonsense", "reason", "x")).toString());
        assertEquals(400, notAnEntity.statusCode(), notAnEntity.body());
    }
}
