package org.nexusswarm.safety.internal.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.operator.KillSwitchOperations;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.Command;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.ConsumeRefused;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.ConsumeReply;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.DecisionConsumed;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.State;

/**
 * A decision is used at most once: an approved kill-switch lift is consumed by one signed {@code lift} command,
 * journaled before the answer; every other consume (again, after a restart, racing, a lie, from someone else, on a
 * request that is not an approved lift) is refused with a typed code and journaled (bounded), and none burns the
 * decision.
 */
@ExtendWith(LogCapturingExtension.class)
class ApprovalConsumeTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static ActorTestKit testKit;
    private static ApprovalFixture fixture;
    private static final SwarmKeyPair OPERATOR = Ed25519.generate();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("ApprovalConsumeTest", EventSourcedBehaviorTestKit.config()
                .withFallback(ConfigFactory.load("application-test")));
        fixture = new ApprovalFixture(testKit);
        SafetyRegistry.get(testKit.system()).identities().admit(OPERATOR.did(), "operator:ops");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private record Request(String id, EventSourcedBehaviorTestKit<Command, SwarmMessage, State> kit) {

        List<Object> journal() {
            return kit.persistenceTestKit().persistedInStorage("approval|" + id);
        }

        ConsumeReply consume(String token) {
            return kit.<ConsumeReply>runCommand(replyTo -> new ApprovalRequest.Consume(token, replyTo)).reply();
        }
    }

    private static ApprovalRequirement twoOfThree() {
        return new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 2,
                fixture.dids(fixture.approvers.subList(0, 3)), ApprovalFixture.TIMEOUT);
    }

    private static Request opened(EntityAddress requester, String actionClass) {
        String id = ApprovalFixture.freshId("lift");
        var kit = EventSourcedBehaviorTestKit.<Command, SwarmMessage, State>create(testKit.system(),
                ApprovalRequest.create(id),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        StatusReply<Done> opened = kit.<StatusReply<Done>>runCommand(replyTo -> new ApprovalRequest.Open(id,
                requester, "lift-RAIL drought#" + id, actionClass, "lift the kill switch for RAIL drought",
                twoOfThree(), replyTo)).reply();
        assertTrue(opened.isSuccess(), String.valueOf(opened));
        return new Request(id, kit);
    }

    private static Request pendingLift() {
        return opened(KillSwitchOperations.REQUESTER, KillSwitchOperations.LIFT_ACTION);
    }

    private static Request decided(Request r, boolean approve) {
        for (int i = 0; i < 2; i++) {
            int approver = i;
            var reply = r.kit().<org.nexusswarm.safety.api.approval.VoteReply>runCommand(replyTo -> new ApprovalRequest.CastSignedVote(
                    fixture.vote(fixture.approvers.get(approver), r.id(), approve), replyTo)).reply();
            assertInstanceOf(ApprovalView.class, reply);
        }
        return r;
    }

    private static Request approvedLift() {
        return decided(pendingLift(), true);
    }

    /** A fresh {@code lift} command of the admitted operator (a new nonce each time). */
    private static String lift(String approvalId) {
        return lift(OPERATOR, approvalId);
    }

    private static String lift(SwarmKeyPair signer, String approvalId) {
        return OperatorTokens.sign(signer, fixture.audience, OperatorCommandKind.LIFT,
                OperatorTokens.body("approvalId", approvalId));
    }

    private static Code refusedWith(ConsumeReply reply) {
        return assertInstanceOf(ConsumeReply.Refused.class, reply).code();
    }

    private static long count(List<Object> journal, Class<?> type) {
        return journal.stream().filter(type::isInstance).count();
    }

    @Test
    void anApprovedLiftIsConsumedOnceAndASecondConsumeIsRefusedAndJournaled() {
        Request r = approvedLift();
        String first = lift(r.id());
        var granted = r.kit().<ConsumeReply>runCommand(replyTo -> new ApprovalRequest.Consume(first, replyTo));
        assertEquals(ApprovalView.Status.APPROVED,
                assertInstanceOf(ConsumeReply.Granted.class, granted.reply()).view().status());
        // Persist before effect: the use is in the journal by the time the caller may act on it.
        DecisionConsumed used = assertInstanceOf(DecisionConsumed.class, granted.event());
        assertEquals("operator:ops", used.operator());
        assertEquals(r.id(), used.approvalId());

        var again = r.kit().<ConsumeReply>runCommand(replyTo -> new ApprovalRequest.Consume(lift(r.id()), replyTo));
        assertEquals(Code.ALREADY_USED, refusedWith(again.reply()));
        ConsumeRefused refused = assertInstanceOf(ConsumeRefused.class, again.event());
        assertEquals(Code.ALREADY_USED.name(), refused.codeName());
        assertEquals("operator:ops", refused.operator());
        assertEquals(1, count(r.journal(), DecisionConsumed.class));
    }

    @Test
    void theUseSurvivesARestartOfTheRequest() {
        Request r = approvedLift();
        assertInstanceOf(ConsumeReply.Granted.class, r.consume(lift(r.id())));
        r.kit().restart();
        assertEquals(Code.ALREADY_USED, refusedWith(r.consume(lift(r.id()))));
        assertEquals(1, count(r.journal(), DecisionConsumed.class));
        assertEquals(1, count(r.journal(), ConsumeRefused.class));
    }

    @Test
    void theSameLiftCommandTwiceIsRefused() {
        Request r = approvedLift();
        String token = lift(r.id());
        assertInstanceOf(ConsumeReply.Granted.class, r.consume(token));
        assertEquals(Code.ALREADY_USED, refusedWith(r.consume(token)));
    }

    @Test
    void ofTwoRacingConsumesExactlyOneWins() {
        for (boolean sameToken : List.of(false, true)) {
            String id = ApprovalFixture.freshId("race");
            ActorRef<Command> request = spawnApprovedLift(id);
            TestProbe<ConsumeReply> a = testKit.createTestProbe();
            TestProbe<ConsumeReply> b = testKit.createTestProbe();
            String first = lift(id);
            String second = sameToken ? first : lift(id);
            // Both pass the state check before either nonce claim returns; the journal decides.
            request.tell(new ApprovalRequest.Consume(first, a.ref()));
            request.tell(new ApprovalRequest.Consume(second, b.ref()));
            List<ConsumeReply> replies = new ArrayList<>(List.of(a.receiveMessage(WAIT), b.receiveMessage(WAIT)));
            assertEquals(1, replies.stream().filter(ConsumeReply.Granted.class::isInstance).count(),
                    "same token: " + sameToken + ", replies: " + replies);
            ConsumeReply loser = replies.stream().filter(ConsumeReply.Refused.class::isInstance).findFirst()
                    .orElseThrow();
            Code code = refusedWith(loser);
            assertTrue(code == Code.ALREADY_USED || code == Code.REPLAYED, String.valueOf(loser));
            List<Object> journal = PersistenceTestKit.create(testKit.system()).persistedInStorage("approval|" + id);
            assertEquals(1, count(journal, DecisionConsumed.class), String.valueOf(journal));
            assertEquals(1, count(journal, ConsumeRefused.class), String.valueOf(journal));
        }
    }

    /** An approved lift as a live actor (not under the behaviour test kit), so two commands can interleave. */
    private static ActorRef<Command> spawnApprovedLift(String id) {
        ActorRef<Command> request = testKit.spawn(ApprovalRequest.create(id));
        TestProbe<StatusReply<Done>> opens = testKit.createTestProbe();
        request.tell(new ApprovalRequest.Open(id, KillSwitchOperations.REQUESTER, "lift-RAIL drought#" + id,
                KillSwitchOperations.LIFT_ACTION, "lift the kill switch for RAIL drought", twoOfThree(),
                opens.ref()));
        assertTrue(opens.receiveMessage(WAIT).isSuccess());
        TestProbe<org.nexusswarm.safety.api.approval.VoteReply> votes = testKit.createTestProbe();
        for (int i = 0; i < 2; i++) {
            request.tell(new ApprovalRequest.CastSignedVote(fixture.vote(fixture.approvers.get(i), id, true),
                    votes.ref()));
            assertInstanceOf(ApprovalView.class, votes.receiveMessage(WAIT));
        }
        return request;
    }

    @Test
    void aLiftThatCannotApplyIsRefusedJournaledAndBurnsNothing() {
        Request pending = pendingLift();
        assertEquals(Code.AWAITS_APPROVAL, refusedWith(pending.consume(lift(pending.id()))));
        assertEquals(1, count(pending.journal(), ConsumeRefused.class));
        decided(pending, true);
        assertInstanceOf(ConsumeReply.Granted.class, pending.consume(lift(pending.id())),
                "refused while pending, usable once approved");

        Request rejected = decided(pendingLift(), false);
        assertEquals(Code.REJECTED, refusedWith(rejected.consume(lift(rejected.id()))));
        assertEquals(1, count(rejected.journal(), ConsumeRefused.class));
        assertEquals(0, count(rejected.journal(), DecisionConsumed.class));

        // A supervisor's approval is used in the supervisor's journal: an operator's lift cannot spend it.
        Request foreign = decided(opened(ApprovalFixture.requester("x"), KillSwitchOperations.LIFT_ACTION), true);
        assertEquals(Code.NOT_A_LIFT, refusedWith(foreign.consume(lift(foreign.id()))));
        Request otherAction = decided(opened(KillSwitchOperations.REQUESTER, "water.divert"), true);
        assertEquals(Code.NOT_A_LIFT, refusedWith(otherAction.consume(lift(otherAction.id()))));
        assertEquals(0, count(foreign.journal(), DecisionConsumed.class));
    }

    @Test
    void liesForgeriesAndCommandsFromSomeoneElseAreRefusedJournaledAndBurnNothing() {
        Request r = approvedLift();
        Request other = approvedLift();
        // The lie: a lift for another approval presented here.
        assertEquals(Code.WRONG_TARGET, refusedWith(r.consume(lift(other.id()))));
        // Someone else: an approver (not an operator), a stranger, a forged signature, a vote passed off as a lift.
        assertEquals(Code.UNKNOWN_OPERATOR, refusedWith(r.consume(lift(fixture.approvers.get(0), r.id()))));
        assertEquals(Code.UNKNOWN_OPERATOR, refusedWith(r.consume(lift(Ed25519.generate(), r.id()))));
        assertEquals(Code.BAD_SIGNATURE, refusedWith(r.consume(forgedLift(r.id()))));
        assertEquals(Code.WRONG_KIND, refusedWith(r.consume(fixture.vote(OPERATOR, r.id(), true))));
        // The oversized and the empty.
        assertEquals(Code.OVERSIZED, refusedWith(r.consume("x".repeat(100_000))));
        assertEquals(Code.MALFORMED, refusedWith(r.consume(null)));
        assertEquals(7, count(r.journal(), ConsumeRefused.class));
        assertEquals(0, count(r.journal(), DecisionConsumed.class));
        assertInstanceOf(ConsumeReply.Granted.class, r.consume(lift(r.id())), "none of them used the decision");
    }

    @Test
    void anUnknownApprovalJournalsNothing() {
        String id = ApprovalFixture.freshId("never-opened");
        var kit = EventSourcedBehaviorTestKit.<Command, SwarmMessage, State>create(testKit.system(),
                ApprovalRequest.create(id),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        var result = kit.<ConsumeReply>runCommand(replyTo -> new ApprovalRequest.Consume(lift(id), replyTo));
        assertEquals(Code.UNKNOWN_APPROVAL, refusedWith(result.reply()));
        assertTrue(result.hasNoEvents());
    }

    @Test
    void aFloodOfRefusedConsumesGrowsTheJournalLogarithmically() {
        Request r = approvedLift();
        assertInstanceOf(ConsumeReply.Granted.class, r.consume(lift(r.id())));
        for (int i = 0; i < 100; i++) {
            assertEquals(Code.ALREADY_USED, refusedWith(r.consume(lift(r.id()))));
        }
        // The first REFUSALS_JOURNALED_EACH one by one, then at 16, 32 and 64 only.
        assertEquals(ApprovalRequest.REFUSALS_JOURNALED_EACH + 3, count(r.journal(), ConsumeRefused.class));
        r.kit().restart();
        assertEquals(Code.ALREADY_USED, refusedWith(r.consume(lift(r.id()))));
        assertEquals(ApprovalRequest.REFUSALS_JOURNALED_EACH + 3, count(r.journal(), ConsumeRefused.class),
                "the count survives a restart");
    }

    /** A lift claiming to be the operator's, signed by another key. */
    private static String forgedLift(String approvalId) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(OPERATOR.did().value()).audience(fixture.audience)
                .claim(OperatorTokens.KIND_CLAIM, OperatorCommandKind.LIFT.claim())
                .claim(OperatorTokens.BODY_CLAIM, OperatorTokens.body("approvalId", approvalId))
                .jwtID(OperatorTokens.newJti()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .build();
        return OperatorTokens.sign(Ed25519.generate(), new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims);
    }
}
