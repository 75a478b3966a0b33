package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.VoteReply;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/**
 * The approval routes end to end: a real server on a free port, a one-node cluster with sharded approval requests,
 * and {@link java.net.http.HttpClient} as the operator's client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalTestNode node;
    private final List<SwarmKeyPair> approvers = IntStream.range(0, 6).mapToObj(i -> Ed25519.generate()).toList();

    @BeforeAll
    void start() throws Exception {
        node = new ApprovalTestNode("ApprovalRoutesTest");
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private ApprovalRequirement quorum() {
        return new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 3,
                approvers.stream().map(k -> k.did().value()).toList(), Duration.ofMinutes(10));
    }

    private String opened(String prefix) throws Exception {
        String id = ApprovalTestNode.freshId(prefix);
        node.open(id, quorum());
        return id;
    }

    private static ObjectNode body(ObjectNode vote) {
        return vote;
    }

    private static ObjectNode vote(SwarmKeyPair keys, String id, boolean approve) {
        return OperatorBodies.signed(keys, OperatorCommandKind.VOTE, OperatorTokens.body("approvalId", id,
                "approve", approve, "comment", "via http"));
    }

    private ObjectNode vote(int approver, String id, boolean approve) {
        return vote(approvers.get(approver), id, approve);
    }

    private HttpResponse<String> cast(String id, ObjectNode body) throws Exception {
        return node.post("/approvals/" + id + "/votes", body.toString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertEquals(code, body.path("code").asText(), response.body());
        assertFalse(body.path("detail").asText().isBlank());
        assertTrue(body.path("error").asText().startsWith(code + ": "));
    }

    private List<String> pendingIds() throws Exception {
        HttpResponse<String> response = node.get("/approvals");
        assertEquals(200, response.statusCode(), response.body());
        return json(response).path("pending").findValuesAsText("approvalId");
    }

    private void awaitPending(String id, boolean listed) {
        node.decisions.awaitAssert(Duration.ofSeconds(10), () -> {
            try {
                assertEquals(listed, pendingIds().contains(id));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return null;
        });
    }

    @Test
    void healthAnswersOk() throws Exception {
        HttpResponse<String> response = node.get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("ok", json(response).path("status").asText());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void aQuorumIsReachedOverHttpAndTheRequestLeavesThePendingList() throws Exception {
        String id = opened("http-quorum");
        awaitPending(id, true);

        HttpResponse<String> detail = node.get("/approvals/" + id);
        assertEquals(200, detail.statusCode(), detail.body());
        JsonNode view = json(detail);
        assertEquals("PENDING", view.path("status").asText());
        assertEquals("QUORUM", view.path("requirement").path("kind").asText());
        assertEquals(3, view.path("requirement").path("k").asInt());
        assertEquals(6, view.path("requirement").path("approvers").size());
        assertEquals("divert 40 m3 to cell 42", view.path("summary").asText());

        assertEquals("PENDING", json(cast(id, body(vote(0, id, true)))).path("status").asText());
        assertEquals("PENDING", json(cast(id, body(vote(1, id, false)))).path("status").asText());
        assertEquals("PENDING", json(cast(id, body(vote(2, id, true)))).path("status").asText());
        HttpResponse<String> decisive = cast(id, body(vote(3, id, true)));
        assertEquals(200, decisive.statusCode(), decisive.body());
        JsonNode decided = json(decisive);
        assertEquals("APPROVED", decided.path("status").asText());
        assertTrue(decided.path("decision").path("approved").asBoolean());
        assertEquals(3, decided.path("approvedBy").size());
        assertEquals(1, decided.path("rejectedBy").size());

        ApprovalDecided delivered = node.decisions.expectMessageClass(ApprovalDecided.class, Duration.ofSeconds(10));
        assertEquals(id, delivered.approvalId());
        assertTrue(delivered.approved());
        awaitPending(id, false);
        assertEquals("APPROVED", json(node.get("/approvals/" + id)).path("status").asText());
    }

    @Test
    void refusedVotesAnswerWithTheirTypedCode() throws Exception {
        String id = opened("http-refusals");
        ObjectNode first = vote(0, id, false);
        assertEquals(200, cast(id, body(first)).statusCode());

        assertRefused(cast(id, body(first)), 403, "REPLAYED");
        assertRefused(cast(id, body(vote(0, id, true))), 409, "DUPLICATE_VOTER");
        assertRefused(cast(id, body(vote(Ed25519.generate(), id, true))), 403, "NOT_APPROVER");
        ObjectNode forged = OperatorBodies.forged(Ed25519.generate(), approvers.get(1), OperatorCommandKind.VOTE,
                OperatorTokens.body("approvalId", id, "approve", true, "comment", ""));
        assertRefused(cast(id, body(forged)), 403, "BAD_SIGNATURE");
        // A vote signed for another request does not count here.
        assertRefused(cast(id, body(vote(2, "another-request", true))), 403, "WRONG_TARGET");
        // A kill command is no vote.
        assertRefused(cast(id, OperatorBodies.signed(approvers.get(2), OperatorCommandKind.KILL,
                OperatorTokens.body("approvalId", id, "approve", true))), 403, "WRONG_KIND");
        String neverOpened = ApprovalTestNode.freshId("never-opened");
        assertRefused(cast(neverOpened, body(vote(2, neverOpened, true))), 404, "UNKNOWN_REQUEST");
        assertEquals(1, json(node.get("/approvals/" + id)).path("rejectedBy").size());
    }

    @Test
    void aLegacySignedBytesVoteSentStraightToTheRequestIsRefusedThere() throws Exception {
        String id = opened("http-legacy");
        var legacy = org.nexusswarm.safety.api.approval.SignedVote.sign(approvers.get(0), id, true, 1, "");
        VoteReply reply = ApprovalRequest.entityRef(node.testKit.system(), id)
                .<VoteReply>ask(r -> new ApprovalRequest.CastVote(legacy, r), Duration.ofSeconds(10))
                .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("LEGACY_FORMAT", ((VoteReply.Refused) reply).codeName());
        assertEquals(0, json(node.get("/approvals/" + id)).path("approvedBy").size());
    }

    @Test
    void aVoteMintedForAnotherSwarmIs403() throws Exception {
        String id = opened("http-audience");
        assertRefused(cast(id, OperatorBodies.body(OperatorTokens.sign(approvers.get(0), "another-swarm",
                OperatorCommandKind.VOTE, OperatorTokens.body("approvalId", id, "approve", true)))), 403,
                "WRONG_AUDIENCE");
        assertEquals(0, json(node.get("/approvals/" + id)).path("approvedBy").size());
        assertEquals(200, cast(id, vote(0, id, true)).statusCode());
    }

    @Test
    void aForgedVoteSentStraightToTheRequestIsRefusedThere() throws Exception {
        String id = opened("http-straight");
        String forged = OperatorBodies.forged(Ed25519.generate(), approvers.get(0), OperatorCommandKind.VOTE,
                OperatorTokens.body("approvalId", id, "approve", true)).path("token").asText();
        VoteReply reply = ApprovalRequest.entityRef(node.testKit.system(), id)
                .<VoteReply>ask(r -> new ApprovalRequest.CastSignedVote(forged, r), Duration.ofSeconds(10))
                .toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("FORGED_SIGNATURE", ((VoteReply.Refused) reply).codeName());
        assertEquals(0, json(node.get("/approvals/" + id)).path("approvedBy").size());
    }

    @Test
    void aVoteAfterTheDecisionConflicts() throws Exception {
        String id = opened("http-late");
        for (int i = 0; i < 4; i++) {
            assertEquals(200, cast(id, body(vote(i, id, false))).statusCode());
        }
        assertEquals("REJECTED", json(node.get("/approvals/" + id)).path("status").asText());
        node.decisions.expectMessageClass(ApprovalDecided.class, Duration.ofSeconds(10));
        assertRefused(cast(id, body(vote(5, id, true))), 409, "ALREADY_DECIDED");
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("not JSON", null, "{nope"),
                Arguments.of("an array", null, "[]"),
                Arguments.of("empty", null, ""),
                Arguments.of("trailing garbage", null, "{} {}"),
                Arguments.of("duplicate field", null, "{\"token\": \"a\", \"token\": \"b\"}"),
                Arguments.of("unknown field", "EXTRA", null),
                Arguments.of("token not a string", null, "{\"token\": 7}"),
                Arguments.of("not a JWS", null, "{\"token\": \"a.b\"}"),
                Arguments.of("missing approve", OperatorTokens.body("approvalId", "ID"), null),
                Arguments.of("approve not a boolean", OperatorTokens.body("approvalId", "ID", "approve", "yes"), null),
                Arguments.of("missing approval id", OperatorTokens.body("approve", true), null),
                Arguments.of("comment not a string", OperatorTokens.body("approvalId", "ID", "approve", true,
                        "comment", java.util.List.of()), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    @SuppressWarnings("unchecked")
    void malformedVoteBodiesAreBadRequests(String name, Object edit, String raw) throws Exception {
        String id = opened("http-malformed");
        String body;
        if (raw != null) {
            body = raw;
        } else if ("EXTRA".equals(edit)) {
            body = vote(0, id, true).put("weight", 10).toString();
        } else {
            java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>((java.util.Map<String, Object>) edit);
            fields.replaceAll((k, v) -> "ID".equals(v) ? id : v);
            body = OperatorBodies.signed(approvers.get(0), OperatorCommandKind.VOTE, fields).toString();
        }
        HttpResponse<String> response = node.post("/approvals/" + id + "/votes", body);
        assertRefused(response, 400, "MALFORMED");
        assertEquals(0, json(node.get("/approvals/" + id)).path("approvedBy").size());
    }

    @Test
    void oversizedBodiesAreRefusedBeforeParsing() throws Exception {
        String id = opened("http-oversized");
        ObjectNode huge = OperatorBodies.body("x".repeat((int) ApprovalRoutes.MAX_BODY_BYTES));
        assertEquals(413, node.post("/approvals/" + id + "/votes", huge.toString()).statusCode());
    }

    @Test
    void badIdsUnknownRequestsAndUnknownRoutes() throws Exception {
        HttpResponse<String> unknown = node.get("/approvals/" + ApprovalTestNode.freshId("nobody-opened"));
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).path("error").asText().startsWith("no approval request"));

        HttpResponse<String> badId = node.get("/approvals/a%7Cb");
        assertEquals(400, badId.statusCode(), badId.body());
        assertTrue(json(badId).path("error").asText().contains("not an approval id"));
        HttpResponse<String> tooLong = node.post("/approvals/" + "x".repeat(300) + "/votes", "{}");
        assertEquals(400, tooLong.statusCode());

        assertEquals(404, node.get("/nothing-here").statusCode());
        assertEquals(405, node.post("/approvals", "{}").statusCode());
        assertEquals(405, node.get("/approvals/x/votes").statusCode());
    }

    @Test
    void theServerRefusesImpossiblePortsAndEmptyHosts() {
        var system = node.testKit.system();
        assertThrows(IllegalArgumentException.class, () -> OperatorApi.start(system, "127.0.0.1", 70000, List.of()));
        assertThrows(IllegalArgumentException.class, () -> OperatorApi.start(system, "127.0.0.1", -1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> OperatorApi.start(system, " ", 0, List.of()));
    }

    @Test
    void theApiBindsWhereTheConfigurationSays() {
        // The test node's config sets nexus.swarm.operator-api.port = 0: a free port was chosen.
        assertTrue(node.api.address().getPort() > 0);
        assertEquals("127.0.0.1", node.api.address().getAddress().getHostAddress());
        assertEquals("http://127.0.0.1:" + node.api.address().getPort(), node.url());
    }
}
