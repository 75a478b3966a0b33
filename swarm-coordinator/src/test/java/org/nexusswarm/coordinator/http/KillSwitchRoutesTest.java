package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.nexusswarm.safety.api.monitor.KillOrder;
import org.nexusswarm.safety.api.monitor.KillTarget;

/** The kill switch routes on a real bound server, driven by the JDK's HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillSwitchRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private KillSwitchTestNode node;
    private long clock = System.currentTimeMillis();

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

    /** A fresh, correctly signed order: nonces are distinct milliseconds close to now. */
    private ObjectNode order(SwarmKeyPair signer, KillTarget target, String reason) {
        clock = Math.max(clock + 1, System.currentTimeMillis());
        return body(KillOrder.sign(signer, target, reason, clock));
    }

    private static ObjectNode body(KillOrder.Signed signed) {
        KillOrder o = signed.order();
        return JSON.createObjectNode()
                .put("scope", o.target().scope().name())
                .put("name", o.target().name())
                .put("reason", o.reason())
                .put("operatorDid", o.operatorDid())
                .put("nonce", o.nonce())
                .put("signature", Base64.getEncoder().encodeToString(signed.signature()));
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
        ObjectNode entity = order(node.operator, KillTarget.entity("agent:rogue"), "oscillating");
        assertEquals(200, post(entity).statusCode());
        ObjectNode pack = order(node.operator, KillTarget.pack("climate"), "bad release");
        assertEquals(200, post(pack).statusCode());
        assertTrue(node.killSwitch.covers("agent:rogue", null, null));
        assertTrue(node.killSwitch.covers("agent:other", "r", "climate"));
        KillOrder.Signed lower = KillOrder.sign(node.operator, KillTarget.rail("r"), "why", ++clock);
        ObjectNode lowerBody = body(lower).put("scope", "rail");
        assertEquals(200, post(lowerBody).statusCode());
    }

    @Test
    void aBadSignatureIsForbidden() throws Exception {
        ObjectNode tampered = order(node.operator, KillTarget.rail("r"), "why").put("name", "other-rail");
        HttpResponse<String> r = post(tampered);
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("BAD_SIGNATURE", json(r).path("code").asText());
        ObjectNode foreign = order(Ed25519.generate(), KillTarget.rail("r"), "why")
                .put("operatorDid", node.operator.did().value());
        assertEquals(403, post(foreign).statusCode());
        ObjectNode shortSignature = order(node.operator, KillTarget.rail("r"), "why").put("signature", "AAAA");
        assertEquals(403, post(shortSignature).statusCode());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void unknownOperatorsAndNonOperatorsAreForbidden() throws Exception {
        HttpResponse<String> stranger = post(order(Ed25519.generate(), KillTarget.rail("r"), "why"));
        assertEquals(403, stranger.statusCode());
        assertEquals("UNKNOWN_SENDER", json(stranger).path("code").asText());
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
    void staleAndFutureOrdersAreForbidden() throws Exception {
        long now = System.currentTimeMillis();
        ObjectNode old = body(KillOrder.sign(node.operator, KillTarget.rail("r"), "why", now - 10 * 60_000));
        HttpResponse<String> r = post(old);
        assertEquals(403, r.statusCode());
        assertEquals("STALE", json(r).path("code").asText());
        ObjectNode future = body(KillOrder.sign(node.operator, KillTarget.rail("r"), "why", now + 10 * 60_000));
        assertEquals(403, post(future).statusCode());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", (Consumer<ObjectNode>) null, "{nope"),
                Arguments.of("an array", null, "[1, 2]"),
                Arguments.of("empty", null, ""),
                Arguments.of("trailing tokens", null, "{} {}"),
                Arguments.of("unknown field", (Consumer<ObjectNode>) b -> b.put("extra", 1), null),
                Arguments.of("missing scope", (Consumer<ObjectNode>) b -> b.remove("scope"), null),
                Arguments.of("unknown scope", (Consumer<ObjectNode>) b -> b.put("scope", "MOON"), null),
                Arguments.of("scope not a string", (Consumer<ObjectNode>) b -> b.put("scope", 3), null),
                Arguments.of("missing name", (Consumer<ObjectNode>) b -> b.remove("name"), null),
                Arguments.of("blank name", (Consumer<ObjectNode>) b -> b.put("name", " "), null),
                Arguments.of("name with a bar", (Consumer<ObjectNode>) b -> b.put("name", "a|b"), null),
                Arguments.of("missing reason", (Consumer<ObjectNode>) b -> b.remove("reason"), null),
                Arguments.of("blank reason", (Consumer<ObjectNode>) b -> b.put("reason", ""), null),
                Arguments.of("reason too long", (Consumer<ObjectNode>) b -> b.put("reason", "x".repeat(501)), null),
                Arguments.of("missing nonce", (Consumer<ObjectNode>) b -> b.remove("nonce"), null),
                Arguments.of("nonce as text", (Consumer<ObjectNode>) b -> b.put("nonce", "123"), null),
                Arguments.of("fractional nonce", (Consumer<ObjectNode>) b -> b.put("nonce", 1.5), null),
                Arguments.of("huge nonce", (Consumer<ObjectNode>) b -> b.put("nonce",
                        new java.math.BigInteger("99999999999999999999999")), null),
                Arguments.of("not a DID", (Consumer<ObjectNode>) b -> b.put("operatorDid", "alice"), null),
                Arguments.of("missing signature", (Consumer<ObjectNode>) b -> b.remove("signature"), null),
                Arguments.of("signature not base64", (Consumer<ObjectNode>) b -> b.put("signature", "%%%"), null),
                Arguments.of("duplicate field", null, "DUPLICATE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBodiesAreBadRequests(String what, Consumer<ObjectNode> change, String raw) throws Exception {
        String body;
        ObjectNode valid = order(node.operator, KillTarget.rail("r"), "why");
        if ("DUPLICATE".equals(raw)) {
            body = valid.toString().replaceFirst("\\{", "{\"name\":\"x\",");
        } else if (raw != null) {
            body = raw;
        } else {
            change.accept(valid);
            body = valid.toString();
        }
        HttpResponse<String> r = node.post("/kill-switch", body);
        assertEquals(400, r.statusCode(), what + ": " + r.body());
        assertEquals("MALFORMED", json(r).path("code").asText());
        assertFalse(json(r).path("error").asText().isBlank());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void anOversizedBodyOrAnotherMethodIsRefused() throws Exception {
        HttpResponse<String> big = node.post("/kill-switch", "{\"reason\":\"" + "x".repeat(20_000) + "\"}");
        assertEquals(413, big.statusCode());
        assertEquals(405, node.put("/kill-switch", "{}").statusCode());
        assertEquals(404, node.post("/kill-switch/extra", "{}").statusCode());
    }
}
