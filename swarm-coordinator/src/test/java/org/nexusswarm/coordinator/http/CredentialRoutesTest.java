package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.RevocationOperations;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/** The revocation routes on a real server bound to a free port, driven by the JDK's HTTP client. */
class CredentialRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SwarmKeyPair OPERATOR = Ed25519.generate();
    private static final SwarmKeyPair AGENT = Ed25519.generate();

    private static KillSwitchTestNode node;
    private static ServerBinding binding;
    private static URI endpoint;
    private static RevocationList revocations;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        // A one-node cluster: the replay guard of operator commands is a sharded, journaled entity.
        node = new KillSwitchTestNode("CredentialRoutesTest");
        ActorSystem<?> system = node.testKit.system();
        SafetyRegistry registry = SafetyRegistry.get(system);
        registry.identities().admit(OPERATOR.did(), "operator:alice");
        registry.identities().admit(AGENT.did(), "agent:drought-watch.agent-001");
        revocations = RevocationList.get(system);
        binding = Http.get(system).newServerAt("127.0.0.1", 0)
                .bind(new CredentialRoutes(system).route())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        endpoint = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/credentials/revocations");
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        node.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode signed(SwarmKeyPair signer, String id, String reason) {
        return OperatorBodies.revoke(signer, id, reason);
    }

    private static JsonNode answer(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return body;
    }

    private static String error(HttpResponse<String> response) throws Exception {
        JsonNode body = answer(response);
        assertTrue(body.hasNonNull("error"), response.body());
        return body.get("error").asText();
    }

    @Test
    void anAdmittedOperatorsSignedRevocationIsAcceptedAndListed() throws Exception {
        HttpResponse<String> response = post(signed(OPERATOR, "rail/agent-007", "key leaked").toString());

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("rail/agent-007", body.get("credentialId").asText());
        assertTrue(body.get("revoked").asBoolean());
        assertEquals("operator:alice", body.get("operator").asText());
        assertTrue(revocations.isRevoked("rail/agent-007"));

        HttpResponse<String> list = CLIENT.send(HttpRequest.newBuilder(endpoint).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        JsonNode listed = JSON.readTree(list.body()).get("revoked");
        assertTrue(listed.isArray());
        assertTrue(listed.toString().contains("\"rail/agent-007\""), list.body());
    }

    /** Today's hole: a captured revocation request used to be replayable forever. */
    @Test
    void aCapturedRevocationCannotBeReplayed() throws Exception {
        String captured = signed(OPERATOR, "c-replayed", "compromised").toString();
        assertEquals(200, post(captured).statusCode());
        HttpResponse<String> replay = post(captured);
        assertEquals(403, replay.statusCode(), replay.body());
        assertEquals("REPLAYED", answer(replay).path("code").asText());
    }

    @Test
    void anOldRevocationIsRefused() throws Exception {
        String old = org.nexusswarm.safety.api.operator.OperatorTokens.sign(OPERATOR,
                OperatorBodies.AUDIENCE, OperatorCommandKind.REVOKE,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("credentialId", "c-old", "reason", "r"),
                java.time.Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(2),
                org.nexusswarm.safety.api.operator.OperatorTokens.newJti());
        HttpResponse<String> response = post(OperatorBodies.body(old).toString());
        assertEquals(403, response.statusCode());
        assertEquals("EXPIRED", answer(response).path("code").asText());
        assertFalse(revocations.isRevoked("c-old"));
    }

    @Test
    void anUnknownOperatorIsForbidden() throws Exception {
        HttpResponse<String> response = post(signed(Ed25519.generate(), "c-unknown", "because").toString());
        assertEquals(403, response.statusCode());
        assertEquals("UNKNOWN_OPERATOR", answer(response).path("code").asText());
        assertFalse(revocations.isRevoked("c-unknown"));
    }

    @Test
    void anAdmittedIdentityThatIsNoOperatorIsForbidden() throws Exception {
        HttpResponse<String> response = post(signed(AGENT, "c-agent", "I'd like to").toString());
        assertEquals(403, response.statusCode());
        assertTrue(error(response).contains("not admitted on this node as an operator"), response.body());
        assertFalse(revocations.isRevoked("c-agent"));
    }

    @Test
    void aBadSignatureIsForbidden() throws Exception {
        HttpResponse<String> response = post(OperatorBodies.forged(AGENT, OPERATOR, OperatorCommandKind.REVOKE,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("credentialId", "c-sig", "reason", "r")).toString());
        assertEquals(403, response.statusCode());
        assertEquals("BAD_SIGNATURE", answer(response).path("code").asText());
        // a kill command is no revocation
        HttpResponse<String> kill = post(OperatorBodies.signed(OPERATOR, OperatorCommandKind.KILL,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("credentialId", "c-sig", "reason", "r")).toString());
        assertEquals("WRONG_KIND", answer(kill).path("code").asText());
        assertFalse(revocations.isRevoked("c-sig"));
    }

    @Test
    void malformedBodiesAreBadRequests() throws Exception {
        String[][] cases = {
            {"not json at all", "malformed JSON body"},
            {"{\"token\": ", "malformed JSON body"},
            {"[1,2]", "must be a JSON object"},
            {"{}", "token is missing"},
            {signed(OPERATOR, "c-bad", "r").put("extra", 1).toString(), "unknown field 'extra'"},
            {signed(OPERATOR, " ", "r").toString(), "credentialId"},
            {signed(OPERATOR, "c-bad", " ").toString(), "reason"},
            {signed(OPERATOR, "c-bad\u0001", "r").toString(), "credentialId must be 1-"},
            {signed(OPERATOR, "c-bad", "x".repeat(RevocationOperations.MAX_REASON_CHARS + 1)).toString(), "reason must be 1-"},
            {signed(OPERATOR, "c-bad", "r").toString().replace("{", "{\"token\":\"dup\","), "malformed JSON body"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = post(c[0]);
            assertEquals(400, response.statusCode(), c[0] + " -> " + response.body());
            assertTrue(error(response).contains(c[1]), c[0] + " -> " + response.body());
        }
        assertFalse(revocations.isRevoked("c-bad"));
    }

    @Test
    void oversizedBodiesAndOtherMethodsAreRefused() throws Exception {
        String huge = OperatorBodies.body("x".repeat(40_000)).toString();
        assertEquals(413, post(huge).statusCode());
        HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(endpoint)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
    }
}
