package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.monitor.KillTarget;

/** The kill switch routes on a real bound server, driven by the JDK's HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillSwitchRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private KillSwitchTestNode node;

    @BeforeAll
    void start() throws Exception {
        node = new KillSwitchTestNode("KillSwitchRoutesTest");
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    @AfterEach
    void release() throws Exception {
        for (KillTarget t : node.killSwitch.engaged()) {
            node.killSwitch.release(t).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static ObjectNode order(SwarmKeyPair signer, KillTarget target, String reason) {
        return OperatorBodies.kill(signer, target, reason);
    }

    private static ObjectNode order(SwarmKeyPair signer, java.util.Map<String, Object> body) {
        return OperatorBodies.signed(signer, OperatorCommandKind.KILL, body);
    }

    private HttpResponse<String> post(Object body) throws Exception {
        return node.post("/kill-switch", body.toString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aSignedOrderEngagesTheSwitchAndIsListed() throws Exception {
        HttpResponse<String> r = post(order(node.operator, KillTarget.rail("drought-watch"), "flooding"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = json(r);
        assertEquals("RAIL", answer.path("engaged").path("scope").asText());
        assertEquals("drought-watch", answer.path("engaged").path("name").asText());
        assertEquals("operator:alice", answer.path("operator").asText());
        assertEquals("CONFIRMED", answer.path("replication").asText());
        assertTrue(node.killSwitch.covers("agent:x", "drought-watch", "climate"), "covered once 200 is sent");

        HttpResponse<String> list = node.get("/kill-switch");
        assertEquals(200, list.statusCode());
        JsonNode engaged = json(list).path("engaged");
        assertEquals(1, engaged.size(), list.body());
        assertEquals("drought-watch", engaged.get(0).path("name").asText());
        assertEquals("operator:alice", engaged.get(0).path("operator").asText());
        assertEquals("flooding", engaged.get(0).path("reason").asText());
    }

    @Test
    void everyScopeCanBeEngagedAndTheScopeIsCaseInsensitive() throws Exception {
        assertEquals(200, post(order(node.operator, KillTarget.entity("agent:rogue"), "oscillating")).statusCode());
        assertEquals(200, post(order(node.operator, KillTarget.pack("climate"), "bad release")).statusCode());
        assertTrue(node.killSwitch.covers("agent:rogue", null, null));
        assertTrue(node.killSwitch.covers("agent:other", "r", "climate"));
        assertEquals(200, post(order(node.operator, OperatorTokens.body("scope", "rail", "name", "r", "reason", "why")))
                .statusCode());
    }

    @Test
    void aBadSignatureIsForbidden() throws Exception {
        String token = order(node.operator, KillTarget.rail("r"), "why").path("token").asText();
        String[] parts = token.split("\\.");
        String otherPayload = order(node.operator, KillTarget.rail("other-rail"), "why").path("token").asText()
                .split("\\.")[1];
        HttpResponse<String> r = post(OperatorBodies.body(parts[0] + "." + otherPayload + "." + parts[2]));
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("BAD_SIGNATURE", json(r).path("code").asText());
        ObjectNode foreign = OperatorBodies.forged(Ed25519.generate(), node.operator, OperatorCommandKind.KILL,
                OperatorTokens.body("scope", "RAIL", "name", "r", "reason", "why"));
        assertEquals(403, post(foreign).statusCode());
        assertEquals(403, post(OperatorBodies.body(parts[0] + "." + parts[1] + ".AAAA")).statusCode());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void unknownOperatorsAndNonOperatorsAreForbidden() throws Exception {
        HttpResponse<String> stranger = post(order(Ed25519.generate(), KillTarget.rail("r"), "why"));
        assertEquals(403, stranger.statusCode());
        assertEquals("UNKNOWN_OPERATOR", json(stranger).path("code").asText());
        assertTrue(json(stranger).path("error").asText().contains("not admitted on this node as an operator"));
        HttpResponse<String> agent = post(order(node.agent, KillTarget.rail("r"), "why"));
        assertEquals(403, agent.statusCode(), "an admitted agent is not an operator");
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void aReplayedOrderIsForbidden() throws Exception {
        ObjectNode once = order(node.operator, KillTarget.entity("agent:x"), "why");
        assertEquals(200, post(once).statusCode());
        HttpResponse<String> again = post(once);
        assertEquals(403, again.statusCode());
        assertEquals("REPLAYED", json(again).path("code").asText());
    }

    @Test
    void staleFutureAndLongLivedOrdersAreForbidden() throws Exception {
        var body = OperatorTokens.body("scope", "RAIL", "name", "r", "reason", "why");
        Instant now = Instant.now();
        HttpResponse<String> r = post(OperatorBodies.body(OperatorTokens.sign(node.operator,
                OperatorBodies.AUDIENCE, OperatorCommandKind.KILL, body, now.minus(Duration.ofMinutes(10)), Duration.ofMinutes(2), OperatorTokens.newJti())));
        assertEquals(403, r.statusCode());
        assertEquals("EXPIRED", json(r).path("code").asText());
        HttpResponse<String> future = post(OperatorBodies.body(OperatorTokens.sign(node.operator,
                OperatorBodies.AUDIENCE, OperatorCommandKind.KILL, body, now.plus(Duration.ofMinutes(10)), Duration.ofMinutes(2),
                OperatorTokens.newJti())));
        assertEquals("NOT_YET_VALID", json(future).path("code").asText());
        HttpResponse<String> forever = post(OperatorBodies.body(OperatorTokens.sign(node.operator,
                OperatorBodies.AUDIENCE, OperatorCommandKind.KILL, body, now, Duration.ofDays(30), OperatorTokens.newJti())));
        assertEquals("LIFETIME_TOO_LONG", json(forever).path("code").asText());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "{nope"),
                Arguments.of("an array", "[1, 2]"),
                Arguments.of("empty", ""),
                Arguments.of("trailing tokens", "{} {}"),
                Arguments.of("no token", "{}"),
                Arguments.of("token not a string", "{\"token\": 3}"),
                Arguments.of("unknown field", "EXTRA"),
                Arguments.of("duplicate field", "DUPLICATE"),
                Arguments.of("not a JWS", "{\"token\": \"abc\"}"),
                Arguments.of("missing scope", OperatorTokens.body("name", "r", "reason", "why")),
                Arguments.of("unknown scope", OperatorTokens.body("scope", "MOON", "name", "r", "reason", "why")),
                Arguments.of("scope not a string", OperatorTokens.body("scope", true, "name", "r", "reason", "why")),
                Arguments.of("missing name", OperatorTokens.body("scope", "RAIL", "reason", "why")),
                Arguments.of("blank name", OperatorTokens.body("scope", "RAIL", "name", " ", "reason", "why")),
                Arguments.of("name with a bar", OperatorTokens.body("scope", "RAIL", "name", "a|b", "reason", "why")),
                Arguments.of("missing reason", OperatorTokens.body("scope", "RAIL", "name", "r")),
                Arguments.of("blank reason", OperatorTokens.body("scope", "RAIL", "name", "r", "reason", "")),
                Arguments.of("reason too long", OperatorTokens.body("scope", "RAIL", "name", "r", "reason",
                        "x".repeat(501))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @SuppressWarnings("unchecked")
    void malformedBodiesAreBadRequests(String what, Object input) throws Exception {
        String body;
        if (input instanceof java.util.Map<?, ?> map) {
            body = order(node.operator, (java.util.Map<String, Object>) map).toString();
        } else if ("EXTRA".equals(input)) {
            body = order(node.operator, KillTarget.rail("r"), "why").put("extra", 1).toString();
        } else if ("DUPLICATE".equals(input)) {
            body = order(node.operator, KillTarget.rail("r"), "why").toString().replaceFirst("\\{", "{\"token\":\"x\",");
        } else {
            body = (String) input;
        }
        HttpResponse<String> r = node.post("/kill-switch", body);
        assertEquals(400, r.statusCode(), what + ": " + r.body());
        assertEquals("MALFORMED", json(r).path("code").asText());
        assertFalse(json(r).path("error").asText().isBlank());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void anOversizedBodyOrTokenOrAnotherMethodIsRefused() throws Exception {
        HttpResponse<String> big = node.post("/kill-switch", "{\"token\":\"" + "x".repeat(40_000) + "\"}");
        assertEquals(413, big.statusCode());
        HttpResponse<String> bigToken = node.post("/kill-switch", "{\"token\":\"" + "x".repeat(20_000) + "\"}");
        assertEquals(413, bigToken.statusCode(), bigToken.body());
        assertEquals("OVERSIZED", json(bigToken).path("code").asText());
        assertEquals(405, node.put("/kill-switch", "{}").statusCode());
        assertEquals(404, node.post("/kill-switch/extra", "{}").statusCode());
    }
}
