package org.nexusswarm.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.approval.VoteReply;
import org.nexusswarm.safety.api.operator.KillSwitchOperations;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.monitor.KillTarget;

/** Lifting the kill switch through a quorum approval, on a real bound server with sharded approval requests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillSwitchLiftTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KillTarget RAIL = KillTarget.rail(LiftTestNode.RAIL);
    private LiftTestNode node;
    private long clock = System.currentTimeMillis();

    @BeforeAll
    void start() throws Exception {
        node = new LiftTestNode("KillSwitchLiftTest");
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

    private long nonce() {
        clock = Math.max(clock + 1, System.currentTimeMillis());
        return clock;
    }

    private void engage(KillTarget target) throws Exception {
        node.killSwitch.engage(target, "operator:alice", "test").toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> requestLift(KillTarget target) throws Exception {
        return node.post("/kill-switch/lift-requests",
                OperatorBodies.liftRequest(node.operator, target, "flood over").toString());
    }

    private HttpResponse<String> lift(String approvalId) throws Exception {
        return node.post("/kill-switch/lifts", OperatorBodies.lift(node.operator, approvalId).toString());
    }

    private void vote(String approvalId, SwarmKeyPair approver, boolean approve) throws Exception {
        String vote = OperatorTokens.sign(approver, OperatorBodies.AUDIENCE, OperatorCommandKind.VOTE,
                OperatorTokens.body("approvalId", approvalId, "approve", approve));
        VoteReply reply = OperatorCommands.get(node.testKit.system()).vote(approvalId, vote)
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(reply instanceof ApprovalView, String.valueOf(reply));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        return JSON.readTree(r.body());
    }

    private String openedLift(KillTarget target) throws Exception {
        engage(target);
        HttpResponse<String> r = requestLift(target);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).path("approvalId").asText();
    }

    @Test
    void aQuorumApprovedLiftReleasesTheTarget() throws Exception {
        engage(RAIL);
        HttpResponse<String> r = requestLift(RAIL);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = json(r);
        String id = answer.path("approvalId").asText();
        assertTrue(ApprovalRequest.isValidId(id), id);
        assertEquals("RAIL", answer.path("target").path("scope").asText());
        assertEquals(LiftTestNode.RAIL, answer.path("target").path("name").asText());
        assertEquals(2, answer.path("requirement").path("k").asInt());
        assertEquals(3, answer.path("requirement").path("approvers").size());

        ApprovalView pending = ApprovalRequest.entityRef(node.testKit.system(), id)
                .<ApprovalView>ask(ApprovalRequest.Get::new, Duration.ofSeconds(10))
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertEquals(ApprovalView.Status.PENDING, pending.status());
        assertEquals(KillSwitchOperations.LIFT_ACTION, pending.actionClass());
        assertTrue(pending.summary().contains(RAIL.toString()) && pending.summary().contains("flood over"),
                pending.summary());

        HttpResponse<String> early = lift(id);
        assertEquals(409, early.statusCode(), early.body());
        assertEquals("AWAITS_APPROVAL", json(early).path("code").asText());
        assertTrue(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));

        vote(id, node.approvers.get(0), true);
        HttpResponse<String> oneVote = lift(id);
        assertEquals(409, oneVote.statusCode(), oneVote.body());
        vote(id, node.approvers.get(2), true);

        HttpResponse<String> lifted = lift(id);
        assertEquals(200, lifted.statusCode(), lifted.body());
        assertEquals(LiftTestNode.RAIL, json(lifted).path("lifted").path("name").asText());
        node.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            assertFalse(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));
            return null;
        });

        engage(RAIL);
        HttpResponse<String> again = lift(id);
        assertEquals(409, again.statusCode(), "an approval lifts once: " + again.body());
        assertEquals("ALREADY_USED", json(again).path("code").asText());
        assertTrue(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));
    }

    @Test
    void aRejectedLiftLeavesTheSwitchEngaged() throws Exception {
        String id = openedLift(RAIL);
        vote(id, node.approvers.get(0), false);
        vote(id, node.approvers.get(1), false);
        HttpResponse<String> r = lift(id);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("REJECTED", json(r).path("code").asText());
        assertTrue(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));
    }

    @Test
    void withoutAPolicyRuleNamingApproversTheLiftFailsClosed() throws Exception {
        KillTarget unruled = KillTarget.rail("no-policy-rail");
        engage(unruled);
        HttpResponse<String> r = requestLift(unruled);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("NO_APPROVERS", json(r).path("code").asText());
        assertTrue(json(r).path("error").asText().contains("cannot be lifted (fail closed)"));
        KillTarget entity = KillTarget.entity("agent:not-deployed");
        engage(entity);
        assertEquals(409, requestLift(entity).statusCode());
        assertEquals(409, requestLift(KillTarget.pack("climate-unknown")).statusCode());
        assertTrue(node.killSwitch.engaged().contains(unruled));
    }

    @Test
    void aTargetThatIsNotEngagedCannotBeLifted() throws Exception {
        HttpResponse<String> r = requestLift(RAIL);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("NOT_ENGAGED", json(r).path("code").asText());
    }

    @Test
    void forgedSignaturesAreForbidden() throws Exception {
        engage(RAIL);
        var body = org.nexusswarm.safety.api.operator.OperatorTokens.body("scope", "RAIL", "name", RAIL.name(),
                "reason", "why");
        HttpResponse<String> r = node.post("/kill-switch/lift-requests", OperatorBodies.forged(Ed25519.generate(),
                node.operator, OperatorCommandKind.LIFT_REQUEST, body).toString());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("BAD_SIGNATURE", json(r).path("code").asText());
        HttpResponse<String> stranger = node.post("/kill-switch/lift-requests",
                OperatorBodies.liftRequest(Ed25519.generate(), RAIL, "why").toString());
        assertEquals(403, stranger.statusCode(), stranger.body());
        assertEquals("UNKNOWN_OPERATOR", json(stranger).path("code").asText());

        String id = openedLift(RAIL);
        vote(id, node.approvers.get(0), true);
        vote(id, node.approvers.get(1), true);
        HttpResponse<String> l = node.post("/kill-switch/lifts", OperatorBodies.forged(Ed25519.generate(),
                node.operator, OperatorCommandKind.LIFT,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("approvalId", id)).toString());
        assertEquals(403, l.statusCode(), l.body());
        assertTrue(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));
    }

    @Test
    void anEngageCommandCannotBePresentedAsALiftRequestNorTheReverse() throws Exception {
        engage(RAIL);
        HttpResponse<String> r = node.post("/kill-switch/lift-requests",
                OperatorBodies.kill(node.operator, RAIL, "flood over").toString());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("WRONG_KIND", json(r).path("code").asText());
        HttpResponse<String> asEngage = node.post("/kill-switch",
                OperatorBodies.liftRequest(node.operator, RAIL, "x").toString());
        assertEquals(403, asEngage.statusCode(), "a lift request is not an engage order either");
        assertEquals("WRONG_KIND", json(asEngage).path("code").asText());
    }

    @Test
    void aLiftRequestOrALiftIsCarriedOutOnce() throws Exception {
        engage(RAIL);
        String request = OperatorBodies.liftRequest(node.operator, RAIL, "flood over").toString();
        assertEquals(200, node.post("/kill-switch/lift-requests", request).statusCode());
        HttpResponse<String> again = node.post("/kill-switch/lift-requests", request);
        assertEquals(403, again.statusCode(), again.body());
        assertEquals("REPLAYED", json(again).path("code").asText());
    }

    @Test
    void unknownAndForeignApprovalsDoNotLift() throws Exception {
        HttpResponse<String> unknown = lift("no-such-approval");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("UNKNOWN_APPROVAL", json(unknown).path("code").asText());

        engage(RAIL);
        String foreign = "foreign-" + nonce();
        ApprovalRequirement one = new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 1,
                java.util.List.of(node.approvers.get(0).did().value()), Duration.ofMinutes(1));
        StatusReply<Done> opened = ApprovalRequest.entityRef(node.testKit.system(), foreign)
                .<StatusReply<Done>>ask(replyTo -> new ApprovalRequest.Open(foreign,
                        EntityAddress.of(EntityKind.AGENT, "a"), "lift-RAIL " + RAIL.name() + "#nonce-00000000000001",
                        KillSwitchOperations.LIFT_ACTION, "lift", one, replyTo), Duration.ofSeconds(10))
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertTrue(opened.isSuccess());
        vote(foreign, node.approvers.get(0), true);
        HttpResponse<String> r = lift(foreign);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("NOT_A_LIFT", json(r).path("code").asText());
        assertTrue(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));
    }

    @Test
    void malformedLiftBodiesAreBadRequests() throws Exception {
        assertEquals(400, node.post("/kill-switch/lifts", "{nope").statusCode());
        ObjectNode extra = OperatorBodies.lift(node.operator, "x").put("extra", 1);
        assertEquals(400, node.post("/kill-switch/lifts", extra.toString()).statusCode());
        ObjectNode badId = OperatorBodies.lift(node.operator, "a/b");
        assertEquals(400, node.post("/kill-switch/lifts", badId.toString()).statusCode());
        ObjectNode noScope = OperatorBodies.signed(node.operator, OperatorCommandKind.LIFT_REQUEST,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("name", RAIL.name(), "reason", "x"));
        assertEquals(400, node.post("/kill-switch/lift-requests", noScope.toString()).statusCode());
    }
}
