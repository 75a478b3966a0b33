package org.nexusswarm.safety.internal.approval;

import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.approval.SignedVote;
import org.nexusswarm.safety.api.approval.TokenVote;
import org.nexusswarm.safety.api.approval.VoteReply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.NonceLedger;
import org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.approval.ApprovalFixture.Watch;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.Closed;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.Command;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.Opened;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.Pending;
import org.nexusswarm.safety.internal.approval.ApprovalRequest.State;
import org.nexusswarm.safety.api.approval.ApprovalView.Status;
import org.nexusswarm.safety.api.approval.VoteReply.Code;
import org.nexusswarm.safety.api.approval.VoteReply.Refused;

/**
 * The approval request as an event-sourced behaviour: co-sign and quorum outcomes, every kind of refused vote
 * (votes are signed operator commands; the retired signed-bytes vote is refused and journaled), the nonce claimed
 * in the journaled ledger only for a vote that counts, the timeout (on manual time), recovery of state and
 * deadline, and exactly-once notification.
 */
@ExtendWith(LogCapturingExtension.class)
class ApprovalRequestTest {

    private static ActorTestKit testKit;
    private static ManualTime manualTime;
    private static ApprovalFixture fixture;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("ApprovalRequestTest", ManualTime.config()
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(ConfigFactory.load("application-test")));
        manualTime = ManualTime.get(testKit.system());
        fixture = new ApprovalFixture(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** One request under the testkit, with the probes its decision goes to. */
    private record Request(String id, EventSourcedBehaviorTestKit<Command, SwarmMessage, State> kit, Watch watch) {}

    private static Request request(String prefix) {
        String id = ApprovalFixture.freshId(prefix);
        // States are never serialized (no snapshots), so only commands and events are checked.
        var kit = EventSourcedBehaviorTestKit.<Command, SwarmMessage, State>create(testKit.system(),
                ApprovalRequest.create(id),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        return new Request(id, kit, fixture.watch(id));
    }

    private static Request opened(String prefix, ApprovalRequirement requirement) {
        Request r = request(prefix);
        var result = open(r, requirement, UnaryOperator.identity());
        assertTrue(result.reply().isSuccess(), () -> String.valueOf(result.reply()));
        assertInstanceOf(Opened.class, result.event());
        return r;
    }

    /** Opens {@code r}; {@code edit} may change the command before it is sent. */
    private static CommandResultWithReply<Command, SwarmMessage, State, StatusReply<Done>> open(Request r,
            ApprovalRequirement requirement, UnaryOperator<ApprovalRequest.Open> edit) {
        return r.kit().runCommand(replyTo -> edit.apply(new ApprovalRequest.Open(r.id(),
                ApprovalFixture.requester(r.id()), "intent-1", "water.divert", "divert 40 m3 to cell 42",
                requirement, replyTo)));
    }

    private static CommandResultWithReply<Command, SwarmMessage, State, VoteReply> cast(Request r, String token) {
        return r.kit().runCommand(replyTo -> new ApprovalRequest.CastSignedVote(token, replyTo));
    }

    /** Straight through sharding, in the retired signed-bytes format. */
    private static CommandResultWithReply<Command, SwarmMessage, State, VoteReply> castLegacy(Request r,
            SignedVote vote) {
        return r.kit().runCommand(replyTo -> new ApprovalRequest.CastVote(vote, replyTo));
    }

    /** Vote claims as {@code keys}' real token would carry them, for tests that sign or alter them by hand. */
    private static JWTClaimsSet.Builder voteClaims(String issuerDid, String approvalId, boolean approve) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuerDid).audience(fixture.audience)
                .claim(OperatorTokens.KIND_CLAIM, OperatorCommandKind.VOTE.claim())
                .claim(OperatorTokens.BODY_CLAIM, OperatorTokens.body("approvalId", approvalId, "approve", approve))
                .jwtID(OperatorTokens.newJti()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)));
    }

    private static String signed(SwarmKeyPair signer, JWTClaimsSet claims) {
        return OperatorTokens.sign(signer, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims);
    }

    /** {@code token} with its payload JSON edited and its signature kept. */
    private static String withPayload(String token, java.util.function.UnaryOperator<String> edit) {
        String[] parts = token.split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                edit.apply(json).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static CommandResultWithReply<Command, SwarmMessage, State, VoteReply> vote(Request r, int approver,
            boolean approve) {
        return cast(r, fixture.vote(fixture.approvers.get(approver), r.id(), approve));
    }

    private static ApprovalView view(Request r) {
        return r.kit().<ApprovalView>runCommand(ApprovalRequest.Get::new).reply();
    }

    private static void assertRefused(CommandResultWithReply<Command, SwarmMessage, State, VoteReply> result,
            Code code) {
        Refused refused = assertInstanceOf(Refused.class, result.reply(), () -> "expected " + code);
        assertEquals(code, refused.code(), refused.detail());
        if (code == Code.UNKNOWN_REQUEST) {
            assertTrue(result.hasNoEvents(), "no journal is created for an id nobody opened");
            return;
        }
        // A refused vote is journaled (reason and claimed approver), and changes nothing else.
        assertEquals(1, result.events().size(), "one VoteRefused");
        ApprovalRequest.VoteRefused journaled = assertInstanceOf(ApprovalRequest.VoteRefused.class, result.event());
        assertEquals(code.name(), journaled.codeName());
    }

    private static ApprovalDecided expectDecision(Request r) {
        ApprovalDecided decided = r.watch().decisions().expectMessageClass(ApprovalDecided.class);
        assertEquals(ApprovalFixture.requester(r.id()), r.watch().requesters().expectMessageClass(EntityAddress.class));
        return decided;
    }

    @Test
    void aHumanCoSignatureIsOneOfTwo() {
        Request r = opened("cosign", fixture.coSign());
        var result = vote(r, 1, true);
        ApprovalView after = assertInstanceOf(ApprovalView.class, result.reply());
        assertEquals(Status.APPROVED, after.status());
        assertEquals(List.of(TokenVote.class, ApprovalDecided.class),
                result.events().stream().map(Object::getClass).toList(), "vote and decision in one write");
        ApprovalDecided decided = expectDecision(r);
        assertTrue(decided.approved());
        assertEquals(List.of(fixture.approvers.get(1).did().value()), decided.voters());
        assertTrue(decided.reason().startsWith("co-signed by 1 of 2"), decided.reason());
        assertInstanceOf(Closed.class, r.kit().getState());
    }

    @Test
    void threeOfSixApproveOnTheThirdYes() {
        Request r = opened("quorum", fixture.quorum());
        assertEquals(Status.PENDING, ((ApprovalView) vote(r, 0, true).reply()).status());
        assertEquals(Status.PENDING, ((ApprovalView) vote(r, 1, false).reply()).status());
        ApprovalView afterTwoYes = (ApprovalView) vote(r, 2, true).reply();
        assertEquals(Status.PENDING, afterTwoYes.status());
        assertEquals(2, afterTwoYes.approvedBy().size());
        assertEquals(1, afterTwoYes.rejectedBy().size());
        r.watch().decisions().expectNoMessage(Duration.ofMillis(50));

        ApprovalView third = (ApprovalView) vote(r, 5, true).reply();
        assertEquals(Status.APPROVED, third.status());
        ApprovalDecided decided = expectDecision(r);
        assertTrue(decided.approved());
        assertEquals("3 of 6 approved (3 needed)", decided.reason());
        assertEquals(fixture.dids(List.of(fixture.approvers.get(0), fixture.approvers.get(1),
                fixture.approvers.get(2), fixture.approvers.get(5))), decided.voters());
        assertEquals(decided, third.decision());
    }

    @Test
    void fourNosOfSixRejectBecauseThreeYesCanNoLongerCome() {
        Request r = opened("rejected", fixture.quorum());
        vote(r, 0, false);
        vote(r, 1, false);
        ApprovalView afterThreeNo = (ApprovalView) vote(r, 2, false).reply();
        assertEquals(Status.PENDING, afterThreeNo.status(), "3 yes are still possible");
        ApprovalView afterFourNo = (ApprovalView) vote(r, 3, false).reply();
        assertEquals(Status.REJECTED, afterFourNo.status());
        ApprovalDecided decided = expectDecision(r);
        assertFalse(decided.approved());
        assertEquals("4 of 6 denied (3 approvals needed, at most 2 possible)", decided.reason());
    }

    @Test
    void aSecondVoteOfTheSameApproverIsADuplicate() {
        Request r = opened("duplicate", fixture.quorum());
        vote(r, 0, true);
        assertRefused(vote(r, 0, false), Code.DUPLICATE_VOTER);
        assertRefused(vote(r, 0, true), Code.DUPLICATE_VOTER);
        assertEquals(1, view(r).approvedBy().size());
    }

    @Test
    void votesFromNonApproversAreRefused() {
        Request r = opened("outsider", fixture.coSign());
        assertRefused(cast(r, fixture.vote(fixture.outsider, r.id(), true)), Code.NOT_APPROVER);
        // Approver number 3 exists in the quorum but is not one of the co-sign's two humans.
        assertRefused(vote(r, 3, true), Code.NOT_APPROVER);
        assertEquals(Status.PENDING, view(r).status());
    }

    @Test
    void forgedSignaturesAreRefused() {
        Request r = opened("forged", fixture.quorum());
        SwarmKeyPair approver = fixture.approvers.get(0);
        String approverDid = approver.did().value();
        // Another key signs in the approver's name.
        assertRefused(cast(r, signed(fixture.outsider, voteClaims(approverDid, r.id(), true).build())),
                Code.FORGED_SIGNATURE);
        // The honest "no" turned into a "yes", or its comment changed: the signature no longer covers it.
        String honest = fixture.vote(approver, r.id(), false);
        assertRefused(cast(r, withPayload(honest, json -> json.replace("\"approve\":false", "\"approve\":true"))),
                Code.FORGED_SIGNATURE);
        assertRefused(cast(r, withPayload(honest, json -> json.replace("\"comment\":\"no\"",
                "\"comment\":\"yes really\""))), Code.FORGED_SIGNATURE);
        // Junk and missing signatures, and an unsigned token (alg none).
        String[] parts = honest.split("\\.");
        assertRefused(cast(r, parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(new byte[Ed25519.SIGNATURE_BYTES])), Code.FORGED_SIGNATURE);
        assertRefused(cast(r, parts[0] + "." + parts[1] + ".AAAA"), Code.FORGED_SIGNATURE);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"" + OperatorTokens.TYPE + "\"}").getBytes(StandardCharsets.UTF_8));
        assertRefused(cast(r, none + "." + parts[1] + "."), Code.FORGED_SIGNATURE);
        assertTrue(view(r).rejectedBy().isEmpty());
        // None of them spent the approver's vote: the honest one still counts.
        assertInstanceOf(ApprovalView.class, cast(r, honest).reply());
        assertEquals(1, view(r).rejectedBy().size());
    }

    @Test
    void replayedVotesAreRefused() {
        Request r = opened("replay", fixture.quorum());
        SwarmKeyPair approver = fixture.approvers.get(0);
        String first = fixture.vote(approver, r.id(), true);
        assertInstanceOf(ApprovalView.class, cast(r, first).reply());
        assertRefused(cast(r, first), Code.REPLAYED);
        // A fresh token of the same approver is a second vote, not a replay.
        assertRefused(cast(r, fixture.vote(approver, r.id(), false)), Code.DUPLICATE_VOTER);
        assertEquals(1, view(r).approvedBy().size());
    }

    @Test
    void aVoteWhoseNonceTheLedgerAlreadyHoldsIsRefusedJournaledAndCountsNothing() throws Exception {
        Request r = opened("spent", fixture.coSign());
        String token = fixture.vote(fixture.approvers.get(0), r.id(), true);
        // Spent elsewhere first (another node's edge, or a copy raced through sharding to another incarnation).
        OperatorCommandAuthenticator authenticator = SafetyRegistry.get(testKit.system()).services()
                .operatorAuthenticator();
        authenticator.authenticate(token, OperatorCommandKind.VOTE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        var result = cast(r, token);
        assertRefused(result, Code.REPLAYED);
        assertTrue(((Refused) result.reply()).detail().contains("already used"), ((Refused) result.reply()).detail());
        assertEquals(Status.PENDING, view(r).status());
        r.watch().decisions().expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aVoteReplayedAfterARestartOfTheRequestAndOfTheLedgerIsRefused() {
        Request r = opened("replay-restart", fixture.quorum());
        String token = fixture.vote(fixture.approvers.get(0), r.id(), true);
        assertInstanceOf(ApprovalView.class, cast(r, token).reply());
        r.kit().restart();
        fixture.ledger.restart();
        assertRefused(cast(r, token), Code.REPLAYED);
        assertEquals(1, view(r).approvedBy().size());
        // The other approvers still vote normally after both restarts.
        assertInstanceOf(ApprovalView.class, vote(r, 1, true).reply());
        assertEquals(2, view(r).approvedBy().size());
    }

    @Test
    void aVoteTokenForRequestAUsedOnRequestBIsRefusedAndStillCountsAtA() {
        Request a = opened("cross-a", fixture.coSign());
        Request b = opened("cross-b", fixture.coSign());
        String forA = fixture.vote(fixture.approvers.get(0), a.id(), true);
        var atB = cast(b, forA);
        assertRefused(atB, Code.MALFORMED);
        assertTrue(((Refused) atB.reply()).detail().contains("for approval " + a.id()), ((Refused) atB.reply()).detail());
        assertEquals(Status.PENDING, view(b).status());
        // Relabelled to B, the signature no longer covers it.
        assertRefused(cast(b, withPayload(forA, json -> json.replace(a.id(), b.id()))), Code.FORGED_SIGNATURE);
        // Refused at B before its nonce was claimed, so it still counts where it belongs.
        assertEquals(Status.APPROVED, ((ApprovalView) cast(a, forA).reply()).status());
    }

    @Test
    void aLegacySignedBytesVoteThroughShardingIsRefusedJournaledAndCountsNothing() {
        Request r = opened("legacy", fixture.coSign());
        SwarmKeyPair approver = fixture.approvers.get(0);
        // A perfectly signed vote of a named approver, in the retired format: it must not approve anything.
        SignedVote legacy = SignedVote.sign(approver, r.id(), true, fixture.nonce(), "ok");
        assertTrue(legacy.signatureValid());
        var result = castLegacy(r, legacy);
        assertRefused(result, Code.LEGACY_FORMAT);
        assertEquals(approver.did().value(),
                ((ApprovalRequest.VoteRefused) result.event()).approverDid());
        assertEquals(Status.PENDING, view(r).status());
        assertTrue(view(r).approvedBy().isEmpty());
        r.watch().decisions().expectNoMessage(Duration.ofMillis(50));
        assertRefused(castLegacy(r, null), Code.LEGACY_FORMAT);
        // The approver's vote was not used up: the same approver approves with a signed operator command.
        assertEquals(Status.APPROVED, ((ApprovalView) vote(r, 0, true).reply()).status());
        expectDecision(r);
        // And after the decision, legacy votes are still refused as such.
        assertRefused(castLegacy(r, SignedVote.sign(fixture.approvers.get(1), r.id(), false, fixture.nonce(), "")),
                Code.LEGACY_FORMAT);
    }

    @Test
    void aLegacyVoteForARequestNobodyOpenedJournalsNothing() {
        Request r = request("legacy-unknown");
        var result = castLegacy(r, SignedVote.sign(fixture.approvers.get(0), r.id(), true, fixture.nonce(), ""));
        assertEquals(Code.LEGACY_FORMAT, assertInstanceOf(Refused.class, result.reply()).code());
        assertTrue(result.hasNoEvents());
    }

    @Test
    void votesMintedForAnotherSwarmAreRefused() {
        Request r = opened("audience", fixture.coSign());
        SwarmKeyPair approver = fixture.approvers.get(0);
        String did = approver.did().value();
        assertRefused(cast(r, signed(approver, voteClaims(did, r.id(), true).audience("another-swarm").build())),
                Code.WRONG_AUDIENCE);
        assertRefused(cast(r, signed(approver, voteClaims(did, r.id(), true).audience((String) null).build())),
                Code.WRONG_AUDIENCE);
        assertRefused(cast(r, signed(approver, voteClaims(did, r.id(), true)
                .audience(List.of(fixture.audience, "another-swarm")).build())), Code.WRONG_AUDIENCE);
        assertEquals(Status.PENDING, view(r).status());
        assertEquals(Status.APPROVED, ((ApprovalView) vote(r, 0, true).reply()).status());
    }

    @Test
    void withoutAnAnsweringReplayGuardNoVoteCounts() {
        Request r = opened("no-guard", fixture.coSign());
        SafetyRegistry registry = SafetyRegistry.get(testKit.system());
        NonceLedger down = (issuer, jti, exp) -> CompletableFuture.failedFuture(new OperatorCommandRefused(
                OperatorCommandRefused.Code.UNAVAILABLE, "the replay guard did not answer"));
        registry.services().useOperatorAuthenticator(new OperatorCommandAuthenticator(
                registry.services().operatorCommands(), down));
        String token = fixture.vote(fixture.approvers.get(0), r.id(), true);
        try {
            assertRefused(cast(r, token), Code.UNAVAILABLE);
            assertEquals(Status.PENDING, view(r).status());
        } finally {
            fixture.useLedger();
        }
        assertEquals(Status.APPROVED, ((ApprovalView) cast(r, token).reply()).status(), "nothing was spent");
    }

    static Stream<Arguments> malformedVotes() {
        return Stream.of(
                Arguments.of("oversized comment", (VoteToken) (id, keys) -> fixture.vote(keys, OperatorTokens.body(
                        "approvalId", id, "approve", true, "comment", "x".repeat(ApprovalRequest.MAX_COMMENT_CHARS + 1)))),
                Arguments.of("no approval id", (VoteToken) (id, keys) -> fixture.vote(keys,
                        OperatorTokens.body("approve", true))),
                Arguments.of("approve not a boolean", (VoteToken) (id, keys) -> fixture.vote(keys,
                        OperatorTokens.body("approvalId", id, "approve", "yes"))),
                Arguments.of("expired", (VoteToken) (id, keys) -> OperatorTokens.sign(keys, fixture.audience,
                        OperatorCommandKind.VOTE, OperatorTokens.body("approvalId", id, "approve", true),
                        Instant.now().minus(Duration.ofMinutes(10)), Duration.ofMinutes(2), OperatorTokens.newJti())),
                Arguments.of("another kind of command", (VoteToken) (id, keys) -> OperatorTokens.sign(keys,
                        fixture.audience, OperatorCommandKind.RELEASE, OperatorTokens.body("approvalId", id,
                                "approve", true))),
                Arguments.of("not a token", (VoteToken) (id, keys) -> "not.a-jws"),
                Arguments.of("no token at all", (VoteToken) (id, keys) -> null));
    }

    @FunctionalInterface
    interface VoteToken {
        String apply(String approvalId, SwarmKeyPair keys);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVotes")
    void malformedVotesAreRefused(String name, VoteToken token) {
        Request r = opened("malformed", fixture.quorum());
        SwarmKeyPair keys = fixture.approvers.get(0);
        assertRefused(cast(r, token.apply(r.id(), keys)), Code.MALFORMED);
        assertEquals(Status.PENDING, view(r).status());
    }

    @Test
    void aVoteAfterTheDecisionIsRefused() {
        Request r = opened("late", fixture.coSign());
        vote(r, 0, true);
        expectDecision(r);
        assertRefused(vote(r, 1, false), Code.ALREADY_DECIDED);
        assertEquals(Status.APPROVED, view(r).status());
    }

    @Test
    void votesAndQueriesForAnUnknownRequest() {
        Request r = request("never-opened");
        assertRefused(vote(r, 0, true), Code.UNKNOWN_REQUEST);
        ApprovalView unknown = view(r);
        assertEquals(Status.UNKNOWN, unknown.status());
        assertNull(unknown.requester());
    }

    @Test
    void theDeadlineRejectsAPendingRequest() {
        Request r = opened("timeout", fixture.quorum());
        vote(r, 0, true);
        manualTime.expectNoMessageFor(ApprovalFixture.TIMEOUT.minusSeconds(1), r.watch().decisions());
        manualTime.timePasses(Duration.ofSeconds(2));
        ApprovalDecided decided = expectDecision(r);
        assertFalse(decided.approved());
        assertEquals("timed out after 5m with 1 of 3 approvals", decided.reason());
        assertEquals(List.of(fixture.approvers.get(0).did().value()), decided.voters());
        assertEquals(Status.REJECTED, view(r).status());
        assertRefused(vote(r, 1, true), Code.ALREADY_DECIDED);
        assertEquals(List.of(Opened.class, TokenVote.class, ApprovalDecided.class, ApprovalRequest.VoteRefused.class),
                journal(r).stream().map(Object::getClass).toList(), "the timeout and the late vote are journaled");
    }

    @Test
    void aRestartKeepsTheVotesAndTheDeadline() {
        Request r = opened("restart", fixture.quorum());
        vote(r, 0, true);
        vote(r, 1, false);
        Pending before = assertInstanceOf(Pending.class, r.kit().getState());

        Pending after = assertInstanceOf(Pending.class, r.kit().restart().state());
        assertEquals(before, after);
        assertEquals(before.opened().deadlineMillis(), after.opened().deadlineMillis());
        assertRefused(vote(r, 0, true), Code.DUPLICATE_VOTER);

        // The re-armed timer still fires at the journaled deadline (not a fresh full timeout after the restart).
        manualTime.expectNoMessageFor(ApprovalFixture.TIMEOUT.minusSeconds(2), r.watch().decisions());
        manualTime.timePasses(Duration.ofSeconds(3));
        assertFalse(expectDecision(r).approved());
        assertInstanceOf(Closed.class, r.kit().restart().state());
    }

    @Test
    void recoveryArmsTheTimerForWhatIsLeftOfTheJournaledDeadline() {
        String id = ApprovalFixture.freshId("recovered");
        long now = System.currentTimeMillis();
        // Opened four minutes ago with a five-minute timeout: one minute is left.
        Opened opened = new Opened(id, ApprovalFixture.requester(id), "intent-1", "water.divert", "s",
                fixture.quorum(), now - Duration.ofMinutes(4).toMillis(), now + Duration.ofMinutes(1).toMillis());
        Watch watch = fixture.watch(id);
        var kit = EventSourcedBehaviorTestKit.<Command, SwarmMessage, State>create(testKit.system(),
                ApprovalRequest.create(id),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        kit.initialize(opened);
        assertEquals(new Pending(opened, List.of()), kit.getState());

        manualTime.expectNoMessageFor(Duration.ofSeconds(55), watch.decisions());
        manualTime.timePasses(Duration.ofSeconds(6));
        ApprovalDecided decided = watch.decisions().expectMessageClass(ApprovalDecided.class);
        assertTrue(decided.reason().startsWith("timed out"), decided.reason());
    }

    @Test
    void aRequestWhoseDeadlinePassedWhileItWasDownIsRejectedOnRecovery() {
        String id = ApprovalFixture.freshId("overdue");
        long now = System.currentTimeMillis();
        Opened opened = new Opened(id, ApprovalFixture.requester(id), "intent-1", "water.divert", "s",
                fixture.quorum(), now - Duration.ofMinutes(10).toMillis(), now - Duration.ofMinutes(5).toMillis());
        Watch watch = fixture.watch(id);
        var kit = EventSourcedBehaviorTestKit.<Command, SwarmMessage, State>create(testKit.system(),
                ApprovalRequest.create(id),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
        kit.initialize(opened);
        manualTime.timePasses(Duration.ofMillis(1));
        assertFalse(watch.decisions().expectMessageClass(ApprovalDecided.class).approved());
        assertInstanceOf(Closed.class, kit.getState());
    }

    @Test
    void theRequesterIsNotifiedExactlyOnce() {
        Request r = opened("once", fixture.quorum());
        vote(r, 0, true);
        vote(r, 1, true);
        vote(r, 2, true);
        expectDecision(r);
        assertRefused(vote(r, 3, true), Code.ALREADY_DECIDED);
        r.kit().restart();
        manualTime.timePasses(ApprovalFixture.TIMEOUT.plusMinutes(1));
        r.watch().decisions().expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void reopeningADecidedRequestRedeliversTheDecision() {
        Request r = opened("reopen", fixture.coSign());
        vote(r, 0, false);
        vote(r, 1, false);
        ApprovalDecided first = expectDecision(r);
        assertFalse(first.approved());

        var again = open(r, fixture.coSign(), UnaryOperator.identity());
        assertTrue(again.reply().isSuccess());
        assertTrue(again.hasNoEvents());
        assertEquals(first, expectDecision(r));
    }

    @Test
    void openIsIdempotentAndAConflictingReopenIsRefused() {
        Request r = opened("idempotent", fixture.quorum());
        var same = open(r, fixture.quorum(), UnaryOperator.identity());
        assertTrue(same.reply().isSuccess());
        assertTrue(same.hasNoEvents());

        var otherSummary = open(r, fixture.quorum(), o -> new ApprovalRequest.Open(o.approvalId(), o.requester(),
                o.intentId(), o.actionClass(), "something else entirely", o.requirement(), o.replyTo()));
        assertTrue(otherSummary.reply().isError());
        assertTrue(otherSummary.reply().getError().getMessage().contains("different content"));
        var otherRequirement = open(r, fixture.coSign(), UnaryOperator.identity());
        assertTrue(otherRequirement.reply().isError());
        assertTrue(otherRequirement.hasNoEvents());
        r.watch().decisions().expectNoMessage(Duration.ofMillis(50));
    }

    static Stream<Arguments> badOpens() {
        String notADid = "did:nexus:short";
        return Stream.of(
                Arguments.of("another approval id", (OpenEdit) (o, f) -> with(o, "other-id", o.requester(),
                        o.intentId(), o.summary(), o.requirement()), "but was sent to"),
                Arguments.of("no requester", (OpenEdit) (o, f) -> with(o, o.approvalId(), null, o.intentId(),
                        o.summary(), o.requirement()), "requester"),
                Arguments.of("blank intent", (OpenEdit) (o, f) -> with(o, o.approvalId(), o.requester(), " ",
                        o.summary(), o.requirement()), "intent id"),
                Arguments.of("oversized summary", (OpenEdit) (o, f) -> with(o, o.approvalId(), o.requester(),
                        o.intentId(), "s".repeat(ApprovalRequest.MAX_SUMMARY_CHARS + 1), o.requirement()), "summary"),
                Arguments.of("no requirement", (OpenEdit) (o, f) -> with(o, o.approvalId(), o.requester(),
                        o.intentId(), o.summary(), null), "requirement"),
                Arguments.of("approver not a DID", (OpenEdit) (o, f) -> with(o, o.approvalId(), o.requester(),
                        o.intentId(), o.summary(), new ApprovalRequirement(ApprovalRequirement.Kind.CO_SIGN, 1,
                                List.of("bob"), Duration.ofMinutes(1))), "not an Ed25519 Nexus DID"),
                Arguments.of("approver DID with a short key", (OpenEdit) (o, f) -> with(o, o.approvalId(),
                        o.requester(), o.intentId(), o.summary(), new ApprovalRequirement(
                                ApprovalRequirement.Kind.CO_SIGN, 1, List.of(notADid), Duration.ofMinutes(1))),
                        "not an Ed25519 Nexus DID"),
                Arguments.of("approver named twice", (OpenEdit) (o, f) -> with(o, o.approvalId(), o.requester(),
                        o.intentId(), o.summary(), new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 2,
                                List.of(f.get(0), f.get(0)), Duration.ofMinutes(1))), "named twice"));
    }

    @FunctionalInterface
    interface OpenEdit {
        ApprovalRequest.Open apply(ApprovalRequest.Open valid, List<String> approverDids);
    }

    private static ApprovalRequest.Open with(ApprovalRequest.Open o, String id, EntityAddress requester,
            String intentId, String summary, ApprovalRequirement requirement) {
        return new ApprovalRequest.Open(id, requester, intentId, o.actionClass(), summary, requirement, o.replyTo());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOpens")
    void badOpensAreRefusedWithAReason(String name, OpenEdit edit, String expected) {
        Request r = request("bad-open");
        var result = open(r, fixture.quorum(), o -> edit.apply(o, fixture.dids(fixture.approvers)));
        assertTrue(result.reply().isError(), name);
        assertTrue(result.reply().getError().getMessage().contains(expected), result.reply().getError().getMessage());
        assertTrue(result.hasNoEvents());
        assertEquals(Status.UNKNOWN, view(r).status());
    }

    @Test
    void anInvalidApprovalIdGetsAStandInThatRefusesEverything() {
        String id = "bad|id/" + ApprovalFixture.freshId("x");
        var request = testKit.spawn(ApprovalRequest.create(id));
        TestProbe<StatusReply<Done>> opens = testKit.createTestProbe();
        request.tell(new ApprovalRequest.Open(id, ApprovalFixture.requester("x"), "i", "a", "s", fixture.quorum(),
                opens.ref()));
        StatusReply<Done> reply = opens.receiveMessage();
        assertTrue(reply.isError());
        assertTrue(reply.getError().getMessage().contains("approval id must be"), reply.getError().getMessage());

        TestProbe<VoteReply> votes = testKit.createTestProbe();
        request.tell(new ApprovalRequest.CastSignedVote(fixture.vote(fixture.approvers.get(0), id, true), votes.ref()));
        assertEquals(Code.UNKNOWN_REQUEST, assertInstanceOf(Refused.class, votes.receiveMessage()).code());
        request.tell(new ApprovalRequest.CastVote(SignedVote.sign(fixture.approvers.get(0), id, true, 1, ""),
                votes.ref()));
        assertEquals(Code.UNKNOWN_REQUEST, assertInstanceOf(Refused.class, votes.receiveMessage()).code());
        TestProbe<ApprovalView> views = testKit.createTestProbe();
        request.tell(new ApprovalRequest.Get(views.ref()));
        assertEquals(Status.UNKNOWN, views.receiveMessage().status());
    }

    @Test
    void thePendingIndexFollowsTheRequest() throws Exception {
        PendingApprovals index = PendingApprovals.get(testKit.system());
        Request r = opened("indexed", fixture.coSign());
        ApprovalView listed = index.pending().toCompletableFuture().get().stream()
                .filter(v -> v.approvalId().equals(r.id())).findFirst().orElseThrow();
        assertEquals("divert 40 m3 to cell 42", listed.summary());
        assertEquals(Status.PENDING, listed.status());

        vote(r, 0, true);
        assertTrue(index.pending().toCompletableFuture().get().stream().noneMatch(v -> v.approvalId().equals(r.id())),
                "decided requests leave the index");
    }

    @Test
    void idsForIntentsAreDeterministicAndAlwaysValid() {
        EntityAddress agent = ApprovalFixture.requester("ids");
        String readable = ApprovalRequest.idFor(agent, "intent-7");
        assertEquals(agent + ":intent-7", readable);
        assertTrue(ApprovalRequest.isValidId(readable));
        String hashed = ApprovalRequest.idFor(agent, "intent with spaces/and slashes");
        assertTrue(ApprovalRequest.isValidId(hashed), hashed);
        assertEquals(hashed, ApprovalRequest.idFor(agent, "intent with spaces/and slashes"));
        assertFalse(ApprovalRequest.isValidId(""));
        assertFalse(ApprovalRequest.isValidId("a".repeat(ApprovalRequest.MAX_ID_CHARS + 1)));
        assertFalse(ApprovalRequest.isValidId(null));
    }

    private static List<Object> journal(Request r) {
        return r.kit().persistenceTestKit().persistedInStorage("approval|" + r.id());
    }

    @Test
    void aFloodOfRefusedVotesGrowsTheJournalLogarithmically() {
        Request r = opened("flood", fixture.quorum());
        int journaled = 0;
        for (int i = 0; i < 300; i++) {
            var result = cast(r, fixture.vote(fixture.outsider, r.id(), true));
            assertEquals(Code.NOT_APPROVER, assertInstanceOf(Refused.class, result.reply()).code());
            journaled += result.events().size();
        }
        // The first REFUSALS_JOURNALED_EACH one by one, then at 16, 32, 64, 128 and 256 only.
        assertEquals(ApprovalRequest.REFUSALS_JOURNALED_EACH + 5, journaled);
        assertEquals(Status.PENDING, view(r).status());
        // The counts survive a restart: the next refusal (301) is still not journaled one by one.
        r.kit().restart();
        assertTrue(cast(r, fixture.vote(fixture.outsider, r.id(), true)).hasNoEvents());
    }

    @Test
    void theDecisionIsDeliveredWithVotesThatProveIt() {
        Request r = opened("proof", fixture.quorum());
        vote(r, 0, true);
        vote(r, 1, true);
        vote(r, 2, true);
        ApprovalDecided decided = expectDecision(r);
        assertTrue(decided.approved());
        ApprovalProof proof = fixture.lastProof;
        assertEquals(decided, proof.decided());
        assertEquals("divert 40 m3 to cell 42", proof.summary());
        assertInstanceOf(ApprovalProof.Verified.class, proof.verify(r.id(), fixture.quorum(), proof.summary(),
                Long.MAX_VALUE, System.currentTimeMillis(), fixture.audience));
        // The same votes do not prove an approval of another request, nor of other content.
        assertInstanceOf(ApprovalProof.Forged.class, proof.verify("other-id", fixture.quorum(), proof.summary(),
                Long.MAX_VALUE, System.currentTimeMillis(), fixture.audience));
        assertInstanceOf(ApprovalProof.Forged.class, proof.verify(r.id(), fixture.quorum(), "divert 4000 m3",
                Long.MAX_VALUE, System.currentTimeMillis(), fixture.audience));
        // Nor in another swarm where the same entity has a request under the same id and the same approvers.
        assertInstanceOf(ApprovalProof.Forged.class, proof.verify(r.id(), fixture.quorum(), proof.summary(),
                Long.MAX_VALUE, System.currentTimeMillis(), "another-swarm"));
    }

    @Test
    void signedBytesVotesProveNothingToASupervisor() {
        // Perfectly signed votes of named approvers, in the retired format, e.g. recovered from an old journal.
        String id = ApprovalFixture.freshId("legacy-proof");
        List<SignedVote> legacy = fixture.approvers.subList(0, 3).stream()
                .map(k -> SignedVote.sign(k, id, true, fixture.nonce(), "")).toList();
        ApprovalProof proof = new ApprovalProof(new ApprovalDecided(id, true, "3 of 6",
                legacy.stream().map(SignedVote::approverDid).toList()), "s", legacy);
        ApprovalProof.Forged forged = assertInstanceOf(ApprovalProof.Forged.class, proof.verify(id, fixture.quorum(),
                "s", Long.MAX_VALUE, System.currentTimeMillis(), fixture.audience));
        assertTrue(forged.problem().contains("retired"), forged.problem());
    }
}
