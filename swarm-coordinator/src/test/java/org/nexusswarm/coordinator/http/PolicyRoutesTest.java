package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.pattern.StatusReply;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.internal.policy.PolicyStore;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;

/** The policy part of the operator HTTP API against a real one-node cluster and its policy stores. */
class PolicyRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SCOPES = new AtomicInteger();
    private static PolicyApiNode node;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Reply(int status, JsonNode json) {}

    @BeforeAll
    static void start() throws Exception {
        node = new PolicyApiNode("PolicyRoutesTest");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String freshScope() {
        return "rail:routes-" + SCOPES.incrementAndGet();
    }

    static String policy(String scope, long version) {
        return "scope = \"" + scope + "\"\nversion = " + version + "\nrules { shed { action = \"grid.shed-load\", "
                + "parameters { mw { max = 50 } } } }\n";
    }

    private static String body(ObjectNode c) {
        return c.toString();
    }

    private static Reply put(String scope, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/policies/" + scope))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
    }

    private static Reply get(String scope) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.url() + "/policies/" + scope)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    private static ObjectNode signed(SwarmKeyPair keys, String scope, String text) {
        return OperatorBodies.signed(keys, OperatorCommandKind.POLICY, OperatorTokens.body("scope", scope, "text", text));
    }

    private static void assertError(Reply r, int status, String fragment) {
        assertEquals(status, r.status(), r.json().toString());
        assertTrue(r.json().path("error").asText().contains(fragment), r.json().toString());
    }

    @Test
    void putThenGet() throws Exception {
        String scope = freshScope();
        String text = policy(scope, 1);
        Reply put = put(scope, body(signed(node.operator, scope, text)));
        assertEquals(200, put.status(), put.json().toString());
        assertEquals(1, put.json().path("version").asLong());
        assertEquals(scope, put.json().path("scope").asText());

        Reply get = get(scope);
        assertEquals(200, get.status());
        assertEquals(text, get.json().path("text").asText());
        assertEquals(1, get.json().path("version").asLong());
        assertEquals(PolicyParser.sha256(text), get.json().path("sha256").asText());
        assertEquals(node.operator.did().value(), get.json().path("operatorDid").asText());
        assertEquals(1, PolicyRegistry.get(node.testKit.system()).current(scope).orElseThrow().version());

        assertEquals(200, put(scope, body(signed(node.operator, scope, policy(scope, 2)))).status());
        assertEquals(2, get(scope).json().path("version").asLong());
    }

    @Test
    void forgedSignatureIs403() throws Exception {
        String scope = freshScope();
        ObjectNode forged = OperatorBodies.forged(Ed25519.generate(), node.operator, OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope, "text", policy(scope, 1)));
        assertError(put(scope, body(forged)), 403, "BAD_SIGNATURE");
        assertEquals(404, get(scope).status(), "nothing was set");
    }

    @Test
    void nonOperatorIs403() throws Exception {
        String scope = freshScope();
        assertError(put(scope, body(signed(node.agent, scope, policy(scope, 1)))), 403,
                "is not admitted on this node as an operator");
    }

    @Test
    void unparsableStaleAndReplayedChangesAreRefused() throws Exception {
        String scope = freshScope();
        assertError(put(scope, body(signed(node.operator, scope, "scope = \"" + scope + "\"\nversion = 1\nrulez {}"))),
                400, "the policy does not parse: line 3: unknown key 'rulez'");
        ObjectNode v2 = signed(node.operator, scope, policy(scope, 2));
        assertEquals(200, put(scope, body(v2)).status());
        assertError(put(scope, body(v2)), 403, "REPLAYED");
        assertError(put(scope, body(signed(node.operator, scope, policy(scope, 1)))), 400,
                "version 1 is not above the current version 2");
    }

    @Test
    void aPushMintedForAnotherSwarmIs403() throws Exception {
        String scope = freshScope();
        String other = OperatorTokens.sign(node.operator, "another-swarm", OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope, "text", policy(scope, 1)));
        assertError(put(scope, body(OperatorBodies.body(other))), 403, "WRONG_AUDIENCE");
        assertEquals(404, get(scope).status(), "nothing was set");
    }

    @Test
    void aLegacySignedBytesChangeArrivingStraightAtTheStoreIsRefusedThere() throws Exception {
        String scope = freshScope();
        PolicyStore.init(node.testKit.system());
        var legacy = org.nexusswarm.safety.api.policy.PolicyChange.sign(node.operator, scope, policy(scope, 1),
                System.nanoTime());
        StatusReply<Long> reply = PolicyStore.ref(node.testKit.system(), scope)
                .<StatusReply<Long>>ask(r -> new PolicyStore.Propose(legacy, r), java.time.Duration.ofSeconds(10))
                .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(reply.isError() && reply.getError().getMessage().contains("LEGACY_FORMAT"), String.valueOf(reply));
        assertEquals(404, get(scope).status(), "nothing was set");
    }

    @Test
    void aPolicyCommandArrivingStraightAtTheStoreIsCheckedThere() throws Exception {
        String scope = freshScope();
        PolicyStore.init(node.testKit.system());
        String forged = OperatorBodies.forged(Ed25519.generate(), node.operator, OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope, "text", policy(scope, 1))).path("token").asText();
        StatusReply<Long> reply = PolicyStore.ref(node.testKit.system(), scope)
                .<StatusReply<Long>>ask(r -> new PolicyStore.ProposeSigned(forged, r), java.time.Duration.ofSeconds(10))
                .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(reply.isError());
        assertTrue(reply.getError().getMessage().startsWith(PolicyStore.FORBIDDEN), reply.getError().getMessage());
        String kill = OperatorBodies.kill(node.operator, org.nexusswarm.safety.api.monitor.KillTarget.rail("r"), "x")
                .path("token").asText();
        StatusReply<Long> wrongKind = PolicyStore.ref(node.testKit.system(), scope)
                .<StatusReply<Long>>ask(r -> new PolicyStore.ProposeSigned(kill, r), java.time.Duration.ofSeconds(10))
                .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(wrongKind.isError());
        assertEquals(404, get(scope).status(), "nothing was set");
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        String scope = freshScope();
        ObjectNode c = signed(node.operator, scope, policy(scope, 1));
        assertError(put(scope, "{not json"), 400, "malformed JSON body");
        assertError(put(scope, "[1, 2]"), 400, "must be a JSON object");
        assertError(put(scope, ""), 400, "must be a JSON object");
        assertError(put(scope, "{\"text\": \"x\"}"), 400, "unknown field 'text'");
        assertError(put(scope, "{\"token\": 1}"), 400, "token is missing or not a string");
        assertError(put(scope, OperatorBodies.signed(node.operator, OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope)).toString()), 400, "'text'");
        assertError(put("team:x", body(c)), 400, "'team:x' is not a policy scope");
        assertEquals(404, get(scope).status());
    }

    @Test
    void changeSignedForAnotherScopeIsRefused() throws Exception {
        String scope = freshScope();
        ObjectNode forOther = signed(node.operator, "rail:other", policy("rail:other", 1));
        assertError(put(scope, body(forOther)), 403, "WRONG_TARGET");
        ObjectNode textForOther = signed(node.operator, scope, policy("rail:other", 1));
        assertError(put(scope, body(textForOther)), 400, "declares scope 'rail:other'");
    }

    @Test
    void getOfUnknownOrInvalidScope() throws Exception {
        assertError(get("rail:never-set"), 404, "no policy has been set for rail:never-set");
        assertError(get("nonsense"), 400, "is not a policy scope");
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        String scope = freshScope();
        String huge = "{\"token\": \"" + "x".repeat(PolicyParser.MAX_TEXT_CHARS * 9) + "\"}";
        try {
            assertError(put(scope, huge), 413, "a policy text may have at most");
        } catch (java.io.IOException e) {
            // The server may refuse by Content-Length and close before the client has finished writing the body;
            // the client then sees no response. Either way nothing may have been stored.
            assertEquals(404, get(scope).status(), "an oversized policy must not be stored: " + e.getMessage());
        }
    }
}
