package org.nexusswarm.safety.api.operator;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;

/**
 * Red team of the one operator-command format: every lie a holder of a captured token, a cluster member without
 * the operator's key, or a careless client can tell is refused with a typed code, and a nonce stays spent across
 * a restart of the authenticator and of its journaled ledger.
 */
class OperatorCommandAuthenticatorTest {

    private static final SwarmKeyPair ALICE = Ed25519.generate();
    private static final SwarmKeyPair BOB = Ed25519.generate();
    private static final SwarmKeyPair AGENT = Ed25519.generate();
    private static final SwarmKeyPair STRANGER = Ed25519.generate();
    private static final Map<String, Object> KILL = OperatorTokens.body("scope", "RAIL", "name", "region-07",
            "reason", "runaway");

    private static ActorTestKit testKit;
    private final IdentityDirectory identities = new IdentityDirectory();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T06:00:00Z"));
    private final OperatorCommandSettings settings = OperatorCommandSettings.DEFAULTS;
    private String ledgerId;
    private ActorRef<OperatorNonces.Command> ledgerActor;
    private OperatorCommandAuthenticator authenticator;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("OperatorCommandAuthenticatorTest", EventSourcedBehaviorTestKit.config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test")));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void setUp() {
        identities.admit(ALICE.did(), "operator:alice");
        identities.admit(BOB.did(), "operator:bob");
        identities.admit(AGENT.did(), "agent:drought-watch.agent-001");
        ledgerId = "ledger-" + OperatorTokens.newJti();
        startAuthenticator();
    }

    /** A fresh authenticator over a fresh incarnation of the journaled ledger (a node restart). */
    private void startAuthenticator() {
        ledgerActor = testKit.spawn(OperatorNonces.create(ledgerId, clock, settings));
        ActorRef<OperatorNonces.Command> ledger = ledgerActor;
        NonceLedger nonces = (issuer, jti, exp) -> AskPattern.<OperatorNonces.Command, StatusReply<Done>>ask(ledger,
                        replyTo -> new OperatorNonces.Claim(jti, exp, replyTo), Duration.ofSeconds(5),
                        testKit.scheduler())
                .thenApply(reply -> {
                    if (reply.isError()) {
                        throw new OperatorCommandRefused(Code.REPLAYED, reply.getError().getMessage());
                    }
                    return null;
                });
        authenticator = new OperatorCommandAuthenticator(new OperatorTokenVerifier(identities, clock, settings), nonces);
    }

    private String token(SwarmKeyPair keys, OperatorCommandKind kind, Map<String, Object> body) {
        return OperatorTokens.sign(keys, settings.audience(), kind, body, clock.instant(), Duration.ofMinutes(2),
                OperatorTokens.newJti());
    }

    private VerifiedOperatorCommand accept(String token, OperatorCommandKind kind) throws Exception {
        return authenticator.authenticate(token, kind).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Code refusal(String token, OperatorCommandKind kind) throws Exception {
        CompletionStage<VerifiedOperatorCommand> stage = authenticator.authenticate(token, kind);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
        return OperatorCommandRefused.in(e).orElseThrow(() -> new AssertionError("untyped failure", e)).code();
    }

    @Test
    void aSignedCommandOfAnAdmittedOperatorIsAccepted() throws Exception {
        VerifiedOperatorCommand cmd = accept(token(ALICE, OperatorCommandKind.KILL, KILL), OperatorCommandKind.KILL);
        assertEquals("operator:alice", cmd.operator());
        assertEquals(ALICE.did().value(), cmd.issuerDid());
        assertEquals("region-07", cmd.text("name"));
        assertEquals(OperatorCommandKind.KILL, cmd.kind());
    }

    @Test
    void theSameTokenIsCarriedOutOnlyOnce() throws Exception {
        String token = token(ALICE, OperatorCommandKind.KILL, KILL);
        accept(token, OperatorCommandKind.KILL);
        assertEquals(Code.REPLAYED, refusal(token, OperatorCommandKind.KILL));
    }

    @Test
    void aReplayIsRefusedAfterTheAuthenticatorAndItsLedgerRestart() throws Exception {
        String token = token(ALICE, OperatorCommandKind.REVOKE, OperatorTokens.body("credentialId", "cred-1",
                "reason", "leaked"));
        accept(token, OperatorCommandKind.REVOKE);
        testKit.stop(ledgerActor);
        startAuthenticator(); // recovers the used nonces from the journal
        assertEquals(Code.REPLAYED, refusal(token, OperatorCommandKind.REVOKE));
        accept(token(ALICE, OperatorCommandKind.REVOKE, OperatorTokens.body("credentialId", "cred-1",
                "reason", "leaked")), OperatorCommandKind.REVOKE);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = token(ALICE, OperatorCommandKind.KILL, KILL);
        clock.advance(Duration.ofMinutes(2).plus(settings.clockSkew()).plusSeconds(1));
        assertEquals(Code.EXPIRED, refusal(token, OperatorCommandKind.KILL));
    }

    @Test
    void aTokenFromTheFutureOrLivingTooLongIsRefused() throws Exception {
        String future = OperatorTokens.sign(ALICE, settings.audience(), OperatorCommandKind.KILL, KILL,
                clock.instant().plus(Duration.ofMinutes(3)), Duration.ofMinutes(1), OperatorTokens.newJti());
        assertEquals(Code.NOT_YET_VALID, refusal(future, OperatorCommandKind.KILL));
        String forever = OperatorTokens.sign(ALICE, settings.audience(), OperatorCommandKind.KILL, KILL, clock.instant(),
                Duration.ofDays(365), OperatorTokens.newJti());
        assertEquals(Code.LIFETIME_TOO_LONG, refusal(forever, OperatorCommandKind.KILL));
    }

    @Test
    void aVoteTokenIsNotAKill() throws Exception {
        String vote = token(ALICE, OperatorCommandKind.VOTE, OperatorTokens.body("approvalId", "a-1", "approve", true));
        assertEquals(Code.WRONG_KIND, refusal(vote, OperatorCommandKind.KILL));
        // and the refused presentation did not spend the nonce
        accept(vote, OperatorCommandKind.VOTE);
    }

    @Test
    void anotherTypeIsRefusedWhateverItSays() throws Exception {
        JWTClaimsSet claims = claims(ALICE, OperatorCommandKind.KILL, KILL);
        for (String typ : new String[] {"JWT", "at+jwt", "nexus-vote+jwt"}) {
            String token = OperatorTokens.sign(ALICE, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                    .type(new JOSEObjectType(typ)).build(), claims);
            assertEquals(Code.WRONG_TYPE, refusal(token, OperatorCommandKind.KILL), typ);
        }
        String untyped = OperatorTokens.sign(ALICE, new JWSHeader.Builder(JWSAlgorithm.EdDSA).build(), claims);
        assertEquals(Code.WRONG_TYPE, refusal(untyped, OperatorCommandKind.KILL));
    }

    @Test
    void algNoneIsRefused() throws Exception {
        String header = b64("{\"alg\":\"none\",\"typ\":\"nexus-op+jwt\"}");
        String payload = claims(ALICE, OperatorCommandKind.KILL, KILL).toPayload().toBase64URL().toString();
        assertEquals(Code.WRONG_ALGORITHM, refusal(header + "." + payload + ".", OperatorCommandKind.KILL));
        assertEquals(Code.WRONG_ALGORITHM, refusal(b64("{\"typ\":\"nexus-op+jwt\"}") + "." + payload + ".AAAA",
                OperatorCommandKind.KILL));
    }

    @Test
    void hs256KeyedWithThePublicKeyIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims(ALICE, OperatorCommandKind.KILL, KILL));
        jwt.sign(new MACSigner(ALICE.publicKey()));
        assertEquals(Code.WRONG_ALGORITHM, refusal(jwt.serialize(), OperatorCommandKind.KILL));
        SignedJWT withDid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims(ALICE, OperatorCommandKind.KILL, KILL));
        withDid.sign(new MACSigner(ALICE.did().value().getBytes(StandardCharsets.UTF_8)));
        assertEquals(Code.WRONG_ALGORITHM, refusal(withDid.serialize(), OperatorCommandKind.KILL));
    }

    @Test
    void aKeyNotAdmittedAsOperatorIsRefused() throws Exception {
        assertEquals(Code.UNKNOWN_OPERATOR, refusal(token(STRANGER, OperatorCommandKind.KILL, KILL),
                OperatorCommandKind.KILL));
        assertEquals(Code.UNKNOWN_OPERATOR, refusal(token(AGENT, OperatorCommandKind.KILL, KILL),
                OperatorCommandKind.KILL));
        identities.remove(BOB.did());
        assertEquals(Code.UNKNOWN_OPERATOR, refusal(token(BOB, OperatorCommandKind.KILL, KILL),
                OperatorCommandKind.KILL));
    }

    @Test
    void tamperedClaimsDoNotVerify() throws Exception {
        String token = token(ALICE, OperatorCommandKind.KILL, KILL);
        String[] parts = token.split("\\.");
        JWTClaimsSet original = SignedJWT.parse(token).getJWTClaimsSet();
        JWTClaimsSet changedBody = new JWTClaimsSet.Builder(original)
                .claim(OperatorTokens.BODY_CLAIM, OperatorTokens.body("scope", "RAIL", "name", "region-08",
                        "reason", "runaway")).build();
        assertEquals(Code.BAD_SIGNATURE, refusal(parts[0] + "." + changedBody.toPayload().toBase64URL() + "."
                + parts[2], OperatorCommandKind.KILL));
        // Alice's signature presented as Bob's command: Bob's key does not verify it.
        JWTClaimsSet asBob = new JWTClaimsSet.Builder(original).issuer(BOB.did().value()).build();
        assertEquals(Code.BAD_SIGNATURE, refusal(parts[0] + "." + asBob.toPayload().toBase64URL() + "."
                + parts[2], OperatorCommandKind.KILL));
        // Longer lifetime, same signature.
        JWTClaimsSet later = new JWTClaimsSet.Builder(original)
                .expirationTime(Date.from(clock.instant().plusSeconds(240))).build();
        assertEquals(Code.BAD_SIGNATURE, refusal(parts[0] + "." + later.toPayload().toBase64URL() + "."
                + parts[2], OperatorCommandKind.KILL));
    }

    @Test
    void aForgedSignatureDoesNotBurnTheOperatorsNonce() throws Exception {
        String jti = OperatorTokens.newJti();
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(ALICE, OperatorCommandKind.KILL, KILL)).jwtID(jti)
                .build();
        String forged = OperatorTokens.sign(STRANGER, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims);
        assertEquals(Code.BAD_SIGNATURE, refusal(forged, OperatorCommandKind.KILL));
        accept(OperatorTokens.sign(ALICE, settings.audience(), OperatorCommandKind.KILL, KILL, clock.instant(),
                Duration.ofMinutes(1), jti), OperatorCommandKind.KILL);
    }

    @Test
    void anOversizedTokenIsRefusedBeforeParsing() throws Exception {
        String huge = "x".repeat(settings.maxTokenChars() + 1);
        assertEquals(Code.OVERSIZED, refusal(huge, OperatorCommandKind.KILL));
        String bigReason = token(ALICE, OperatorCommandKind.KILL, OperatorTokens.body("scope", "RAIL", "name", "r",
                "reason", "y".repeat(settings.maxTokenChars())));
        assertEquals(Code.OVERSIZED, refusal(bigReason, OperatorCommandKind.KILL));
    }

    @Test
    void deepNestingAndExtraFieldsAreMalformed() throws Exception {
        String header = b64("{\"alg\":\"EdDSA\",\"typ\":\"nexus-op+jwt\"}");
        String nested = b64("{\"cmd\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertEquals(Code.MALFORMED, refusal(header + "." + nested + ".AAAA", OperatorCommandKind.KILL));
        String nestedBody = token(ALICE, OperatorCommandKind.KILL, OperatorTokens.body("scope", "RAIL",
                "name", "r", "reason", "x", "extra", Map.of("a", "b")));
        assertEquals(Code.MALFORMED, refusal(nestedBody, OperatorCommandKind.KILL));
        assertEquals(Code.MALFORMED, refusal("not.a.token", OperatorCommandKind.KILL));
        assertEquals(Code.MALFORMED, refusal("", OperatorCommandKind.KILL));
        JWTClaimsSet withSub = new JWTClaimsSet.Builder(claims(ALICE, OperatorCommandKind.KILL, KILL))
                .subject("elsewhere").build();
        assertEquals(Code.MALFORMED, refusal(OperatorTokens.sign(ALICE, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), withSub), OperatorCommandKind.KILL));
        JWTClaimsSet noJti = new JWTClaimsSet.Builder(claims(ALICE, OperatorCommandKind.KILL, KILL)).jwtID(null)
                .build();
        assertEquals(Code.MALFORMED, refusal(OperatorTokens.sign(ALICE, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), noJti), OperatorCommandKind.KILL));
    }

    private String signed(JWTClaimsSet claims) {
        return OperatorTokens.sign(ALICE, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims);
    }

    @Test
    void aTokenMintedForAnotherSwarmIsRefusedThereWithTheSameOperatorKey() throws Exception {
        String jti = OperatorTokens.newJti();
        String forOther = OperatorTokens.sign(ALICE, "other-swarm", OperatorCommandKind.KILL, KILL, clock.instant(),
                Duration.ofMinutes(1), jti);
        OperatorCommandRefused refused = assertThrows(OperatorCommandRefused.class,
                () -> authenticator.verifier().verify(forOther, OperatorCommandKind.KILL));
        assertEquals(Code.WRONG_AUDIENCE, refused.code());
        assertTrue(refused.detail().contains("other-swarm") && refused.detail().contains(settings.audience()),
                refused.detail());
        assertEquals(Code.WRONG_AUDIENCE, refusal(forOther, OperatorCommandKind.KILL));
        // The other swarm, trusting the same key, accepts it: the audience is all that tells them apart.
        OperatorCommandAuthenticator other = new OperatorCommandAuthenticator(new OperatorTokenVerifier(identities,
                clock, settings.withAudience("other-swarm")), (issuer, id, exp) ->
                java.util.concurrent.CompletableFuture.completedFuture(null));
        assertEquals("operator:alice", other.authenticate(forOther, OperatorCommandKind.KILL).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).operator());
        // Refused here before its nonce was claimed: a token for this swarm with the same jti still works.
        accept(OperatorTokens.sign(ALICE, settings.audience(), OperatorCommandKind.KILL, KILL, clock.instant(),
                Duration.ofMinutes(1), jti), OperatorCommandKind.KILL);
    }

    @Test
    void aTokenWithoutOrWithSeveralAudiencesIsRefused() throws Exception {
        JWTClaimsSet base = claims(ALICE, OperatorCommandKind.KILL, KILL);
        assertEquals(Code.WRONG_AUDIENCE, refusal(signed(new JWTClaimsSet.Builder(base).audience((String) null)
                .build()), OperatorCommandKind.KILL));
        assertEquals(Code.WRONG_AUDIENCE, refusal(signed(new JWTClaimsSet.Builder(base)
                .audience(java.util.List.of(settings.audience(), "other-swarm")).build()), OperatorCommandKind.KILL));
        assertEquals(Code.WRONG_AUDIENCE, refusal(signed(new JWTClaimsSet.Builder(base).audience("")
                .build()), OperatorCommandKind.KILL));
        assertEquals(Code.WRONG_AUDIENCE, refusal(signed(new JWTClaimsSet.Builder(base)
                .audience(settings.audience().toUpperCase() + " ").build()), OperatorCommandKind.KILL));
        accept(signed(base), OperatorCommandKind.KILL);
    }

    @Test
    void theAudienceIsConfiguredOrTheActorSystemsName() {
        assertEquals("nexus-prod-eu", OperatorCommandSettings.from(ConfigFactory.parseString(
                OperatorCommandSettings.PATH + ".audience = nexus-prod-eu"), "nexus-swarm").audience());
        assertEquals("nexus-swarm", OperatorCommandSettings.from(ConfigFactory.parseString(
                OperatorCommandSettings.PATH + ".audience = \"\""), "nexus-swarm").audience());
        assertEquals("my-system", OperatorCommandSettings.from(ConfigFactory.empty(), "my-system").audience());
        assertEquals("OperatorCommandAuthenticatorTest", OperatorCommandSettings.audienceOf(testKit.system()));
        assertThrows(IllegalArgumentException.class, () -> settings.withAudience(" "));
        assertThrows(IllegalArgumentException.class, () -> settings.withAudience("x".repeat(201)));
    }

    @Test
    void aVoteMayComeFromAnApproverWhoIsNoOperator() throws Exception {
        VerifiedOperatorCommand vote = accept(token(STRANGER, OperatorCommandKind.VOTE,
                OperatorTokens.body("approvalId", "a-2", "approve", false)), OperatorCommandKind.VOTE);
        assertFalse(vote.flag("approve"));
        assertEquals(STRANGER.did().value(), vote.issuerDid());
    }

    @Test
    void theLedgerForgetsExpiredNoncesAndKeepsTheRestAcrossRecovery() {
        var kit = EventSourcedBehaviorTestKit.<OperatorNonces.Command, OperatorNonces.Claimed, OperatorNonces.State>
                create(testKit.system(), OperatorNonces.create("kit-" + OperatorTokens.newJti(), clock, settings));
        long exp = clock.millis() + 60_000;
        assertTrue(kit.<StatusReply<Done>>runCommand(r -> new OperatorNonces.Claim("old-nonce-0000000001", exp, r))
                .reply().isSuccess());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(kit.<StatusReply<Done>>runCommand(r -> new OperatorNonces.Claim("new-nonce-0000000001",
                clock.millis() + 60_000, r)).reply().isSuccess());
        assertEquals(java.util.Set.of("new-nonce-0000000001"), kit.getState().used().keySet());
        kit.restart();
        assertTrue(kit.<StatusReply<Done>>runCommand(r -> new OperatorNonces.Claim("new-nonce-0000000001",
                clock.millis() + 60_000, r)).reply().isError(), "still spent after recovery");
    }

    @Test
    void anOperatorCannotFillTheLedgerWithoutBound() {
        OperatorCommandSettings small = new OperatorCommandSettings(Duration.ofMinutes(5), Duration.ofSeconds(30),
                16 * 1024, 1024 * 1024, 3, Duration.ofSeconds(5), "small-swarm");
        var kit = EventSourcedBehaviorTestKit.<OperatorNonces.Command, OperatorNonces.Claimed, OperatorNonces.State>
                create(testKit.system(), OperatorNonces.create("kit-" + OperatorTokens.newJti(), clock, small));
        for (int i = 0; i < 3; i++) {
            int n = i;
            assertTrue(kit.<StatusReply<Done>>runCommand(r -> new OperatorNonces.Claim("nonce-000000000000" + n,
                    clock.millis() + 60_000, r)).reply().isSuccess());
        }
        var fourth = kit.<StatusReply<Done>>runCommand(r -> new OperatorNonces.Claim("nonce-0000000000003",
                clock.millis() + 60_000, r));
        assertTrue(fourth.reply().isError());
        assertTrue(fourth.hasNoEvents());
    }

    private JWTClaimsSet claims(SwarmKeyPair keys, OperatorCommandKind kind, Map<String, Object> body) {
        return new JWTClaimsSet.Builder().issuer(keys.did().value()).audience(settings.audience())
                .claim(OperatorTokens.KIND_CLAIM, kind.claim())
                .claim(OperatorTokens.BODY_CLAIM, body).jwtID(OperatorTokens.newJti())
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(60)))
                .build();
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
