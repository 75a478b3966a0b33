package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
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

    private static ActorTestKit testKit;
    private static ServerBinding binding;
    private static URI endpoint;
    private static RevocationList revocations;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("CredentialRoutesTest", ConfigFactory.load("application-test"));
        SafetyRegistry registry = SafetyRegistry.get(testKit.system());
        registry.identities().admit(OPERATOR.did(), "operator:alice");
        registry.identities().admit(AGENT.did(), "agent:drought-watch.agent-001");
        revocations = RevocationList.get(testKit.system());
        binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
                .bind(new CredentialRoutes(testKit.system()).route())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        endpoint = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/credentials/revocations");
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        testKit.shutdownTestKit();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode signed(SwarmKeyPair signer, String id, String reason) {
        return JSON.createObjectNode().put("credentialId", id).put("reason", reason)
                .put("operatorDid", signer.did().value())
                .put("signature", Base64.getEncoder().encodeToString(
                        signer.sign(CredentialRoutes.signedMessage(id, reason))));
    }

    private static String error(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.hasNonNull("error"), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
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

    @Test
    void anUnknownOperatorIsForbidden() throws Exception {
        HttpResponse<String> response = post(signed(Ed25519.generate(), "c-unknown", "because").toString());
        assertEquals(403, response.statusCode());
        assertTrue(error(response).startsWith("unknown operator"), response.body());
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
        ObjectNode otherReason = signed(OPERATOR, "c-sig", "original reason").put("reason", "altered reason");
        HttpResponse<String> response = post(otherReason.toString());
        assertEquals(403, response.statusCode());
        assertTrue(error(response).startsWith("bad signature"), response.body());

        ObjectNode forged = signed(OPERATOR, "c-sig", "r").put("operatorDid", OPERATOR.did().value())
                .put("signature", Base64.getEncoder().encodeToString(AGENT.sign(CredentialRoutes.signedMessage("c-sig",
                        "r"))));
        assertEquals(403, post(forged.toString()).statusCode());
        assertEquals(403, post(signed(OPERATOR, "c-sig", "r").put("signature", "AAAA").toString()).statusCode());
        assertFalse(revocations.isRevoked("c-sig"));
    }

    @Test
    void malformedBodiesAreBadRequests() throws Exception {
        String[][] cases = {
            {"not json at all", "malformed JSON body"},
            {"{\"credentialId\": ", "malformed JSON body"},
            {"[1,2]", "must be a JSON object"},
            {"{}", "credentialId is missing"},
            {signed(OPERATOR, "c-bad", "r").put("extra", 1).toString(), "unknown field 'extra'"},
            {signed(OPERATOR, "c-bad", "r").put("credentialId", 7).toString(), "credentialId must be a string"},
            {signed(OPERATOR, "c-bad|x", "r").toString(), "without '|'"},
            {signed(OPERATOR, " ", "r").toString(), "credentialId must be 1-"},
            {signed(OPERATOR, "c-bad", " ").toString(), "reason must be 1-"},
            {signed(OPERATOR, "c-bad", "x".repeat(CredentialRoutes.MAX_REASON_CHARS + 1)).toString(), "reason must be 1-"},
            {signed(OPERATOR, "c-bad", "r").put("operatorDid", "alice").toString(), "operatorDid must be a Nexus DID"},
            {signed(OPERATOR, "c-bad", "r").put("signature", "***").toString(), "signature must be base64"},
            {signed(OPERATOR, "c-bad", "r").toString().replace("{", "{\"reason\":\"dup\","), "malformed JSON body"},
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
        String huge = signed(OPERATOR, "c-huge", "x".repeat(40_000)).toString();
        assertEquals(413, post(huge).statusCode());
        HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(endpoint)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
        assertFalse(revocations.isRevoked("c-huge"));
    }
}
