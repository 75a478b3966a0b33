package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.PolicyTexts;

import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.PolicyChanged;
import org.nexusswarm.safety.api.policy.PolicyChangedSigned;
import org.nexusswarm.safety.api.policy.PolicyParser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.JournaledTestLedger;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.internal.policy.PolicyStore.Command;
import org.nexusswarm.safety.internal.policy.PolicyStore.Current;
import org.nexusswarm.safety.internal.policy.PolicyStore.State;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The policy store on a one-node cluster: a policy arrives only as a signed operator command, which the store
 * authenticates itself (nonce claimed in the journaled ledger), journals and then publishes (locally and to
 * Distributed Data); every refused change is journaled (bounded) and changes nothing, the retired signed-bytes
 * change included; recovery republishes, also from journals of the earlier format.
 */
@ExtendWith(LogCapturingExtension.class)
class PolicyStoreTest {

    private static final AtomicInteger SCOPES = new AtomicInteger();
    private static ActorTestKit testKit;
    private static JournaledTestLedger ledger;
    private static String audience;
    private static final SwarmKeyPair OPERATOR = Ed25519.generate();
    private static final SwarmKeyPair AGENT = Ed25519.generate();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("PolicyStoreTest", ClusterTestConfig.config());
        ClusterTestConfig.join(testKit, testKit.system(), testKit.system());
        SafetyRegistry registry = SafetyRegistry.get(testKit.system());
        registry.identities().admit(OPERATOR.did(), "operator:alice");
        registry.identities().admit(AGENT.did(), "agent:drought-watch.agent-001");
        audience = OperatorCommandSettings.audienceOf(testKit.system());
        ledger = new JournaledTestLedger(testKit);
        registry.services().useOperatorAuthenticator(ledger.authenticator(registry.identities(), audience));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static String freshScope() {
        return "rail:store-test-" + SCOPES.incrementAndGet();
    }

    private static EventSourcedBehaviorTestKit<Command, SwarmMessage, State> kit(String scope) {
        return EventSourcedBehaviorTestKit.create(testKit.system(), PolicyStore.create(scope));
    }

    /** A policy push signed by {@code keys}, as {@code swarm policy push} sends it. */
    private static String push(SwarmKeyPair keys, String scope, String text) {
        return OperatorTokens.sign(keys, audience, OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope, "text", text));
    }

    private static CommandResultWithReply<Command, SwarmMessage, State, StatusReply<Long>> propose(
            EventSourcedBehaviorTestKit<Command, SwarmMessage, State> kit, String token) {
        return kit.<StatusReply<Long>>runCommand(replyTo -> new PolicyStore.ProposeSigned(token, replyTo));
    }

    /** Straight through sharding, in the retired signed-bytes format. */
    private static CommandResultWithReply<Command, SwarmMessage, State, StatusReply<Long>> proposeLegacy(
            EventSourcedBehaviorTestKit<Command, SwarmMessage, State> kit, PolicyChange change) {
        return kit.<StatusReply<Long>>runCommand(replyTo -> new PolicyStore.Propose(change, replyTo));
    }

    /** Refused with {@code prefix} and {@code code}, the reply mentions {@code fragment}, one refusal journaled. */
    private static void assertRefused(CommandResultWithReply<Command, SwarmMessage, State, StatusReply<Long>> r,
            String prefix, String code, String fragment) {
        assertTrue(r.reply().isError(), "refused");
        String message = r.reply().getError().getMessage();
        assertTrue(message.startsWith(prefix + code + ": "), message);
        assertTrue(message.contains(fragment), message);
        assertEquals(1, r.events().size(), "the refusal is journaled, nothing else");
        PolicyStore.ChangeRefused refused = assertInstanceOf(PolicyStore.ChangeRefused.class, r.event());
        assertEquals(code, refused.codeName());
    }

    private static String jtiOf(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    }

    private static JWTClaimsSet.Builder claims(String issuerDid, String scope, String text) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuerDid).audience(audience)
                .claim(OperatorTokens.KIND_CLAIM, OperatorCommandKind.POLICY.claim())
                .claim(OperatorTokens.BODY_CLAIM, OperatorTokens.body("scope", scope, "text", text))
                .jwtID(OperatorTokens.newJti()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)));
    }

    private static String signed(SwarmKeyPair signer, JWTClaimsSet claims) {
        return OperatorTokens.sign(signer, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims);
    }

    @Test
    void acceptedChangeIsJournaledThenPublished() throws Exception {
        String scope = freshScope();
        var kit = kit(scope);
        String text = PolicyTexts.simple(scope, 1);
        String token = push(OPERATOR, scope, text);
        var result = propose(kit, token);
        assertEquals(StatusReply.success(1L), result.reply());
        PolicyChangedSigned event = result.eventOfType(PolicyChangedSigned.class);
        assertEquals(new PolicyChangedSigned(scope, 1, PolicyParser.sha256(text), text, OPERATOR.did().value(),
                jtiOf(token), token), event);
        assertEquals(1, result.state().version());

        PolicyRegistry registry = PolicyRegistry.get(testKit.system());
        assertEquals(1, registry.current(scope).orElseThrow().version(), "visible on this node at once");

        TestProbe<Replicator.GetResponse<LWWMap<String, String>>> probe = testKit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            DistributedData.get(testKit.system()).replicator()
                    .tell(new Replicator.Get<>(PolicyRegistry.KEY, Replicator.readLocal(), probe.ref()));
            var reply = probe.receiveMessage();
            assertTrue(reply instanceof Replicator.GetSuccess, "found: " + reply);
            LWWMap<String, String> map = ((Replicator.GetSuccess<LWWMap<String, String>>) reply).get(PolicyRegistry.KEY);
            assertEquals(text, map.getEntries().get(scope), "replicated through Distributed Data");
            return null;
        });

        Current current = kit.<Current>runCommand(PolicyStore.GetPolicy::new).reply();
        assertEquals(new Current(scope, 1, PolicyParser.sha256(text), text, OPERATOR.did().value()), current);
    }

    @Test
    void laterVersionsReplaceEarlierOnes() {
        String scope = freshScope();
        var kit = kit(scope);
        assertEquals(StatusReply.success(1L), propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 1))).reply());
        assertEquals(StatusReply.success(5L), propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 5))).reply());
        assertEquals(5, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }

    @Test
    void forgedSignatureIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        String text = PolicyTexts.simple(scope, 1);
        // The operator's DID on someone else's signature.
        assertRefused(propose(kit, signed(Ed25519.generate(), claims(OPERATOR.did().value(), scope, text).build())),
                PolicyStore.FORBIDDEN, "BAD_SIGNATURE", "does not verify");
        // The operator's token with another text in it.
        String real = push(OPERATOR, scope, text);
        String[] parts = real.split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String swapped = Base64.getUrlEncoder().withoutPadding().encodeToString(json.replace("version = 1",
                "version = 2").getBytes(StandardCharsets.UTF_8));
        assertTrue(!swapped.equals(parts[1]));
        assertRefused(propose(kit, parts[0] + "." + swapped + "." + parts[2]), PolicyStore.FORBIDDEN, "BAD_SIGNATURE",
                "does not verify");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"" + OperatorTokens.TYPE + "\"}").getBytes(StandardCharsets.UTF_8));
        assertRefused(propose(kit, none + "." + parts[1] + "."), PolicyStore.FORBIDDEN, "WRONG_ALGORITHM", "EdDSA");
        assertTrue(PolicyRegistry.get(testKit.system()).current(scope).isEmpty());
        // None of them burnt the operator's token.
        assertEquals(StatusReply.success(1L), propose(kit, real).reply());
    }

    @Test
    void nonOperatorIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        assertRefused(propose(kit, push(AGENT, scope, PolicyTexts.simple(scope, 1))), PolicyStore.FORBIDDEN,
                "UNKNOWN_OPERATOR", "is not admitted on this node as an operator");
        assertRefused(propose(kit, push(Ed25519.generate(), scope, PolicyTexts.simple(scope, 1))),
                PolicyStore.FORBIDDEN, "UNKNOWN_OPERATOR", "is not admitted");
        assertRefused(propose(kit, signed(OPERATOR, claims("alice", scope, PolicyTexts.simple(scope, 1)).build())),
                PolicyStore.INVALID, "MALFORMED", "iss must be the operator's DID");
    }

    @Test
    void aPushMintedForAnotherSwarmIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        String text = PolicyTexts.simple(scope, 1);
        assertRefused(propose(kit, OperatorTokens.sign(OPERATOR, "another-swarm", OperatorCommandKind.POLICY,
                OperatorTokens.body("scope", scope, "text", text))), PolicyStore.FORBIDDEN, "WRONG_AUDIENCE",
                "another-swarm");
        assertRefused(propose(kit, signed(OPERATOR, claims(OPERATOR.did().value(), scope, text)
                .audience((String) null).build())), PolicyStore.FORBIDDEN, "WRONG_AUDIENCE", "no audience");
        assertTrue(PolicyRegistry.get(testKit.system()).current(scope).isEmpty());
    }

    @Test
    void unparsableTextIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        assertRefused(propose(kit, push(OPERATOR, scope, "scope = \"" + scope + "\"\nversion = 1\nrules {")),
                PolicyStore.INVALID, "INVALID", "does not parse: not valid HOCON: line");
        assertRefused(propose(kit, push(OPERATOR, scope, PolicyTexts.policy(scope, 1, "a { acton = \"x\" }"))),
                PolicyStore.INVALID, "INVALID", "unknown key 'acton'");
        assertRefused(propose(kit, push(OPERATOR, scope, "")), PolicyStore.INVALID, "MALFORMED",
                "needs a non-blank string 'text'");
        assertRefused(propose(kit, null), PolicyStore.INVALID, "MALFORMED", "no token");
        assertRefused(propose(kit, push(OPERATOR, scope, PolicyTexts.simple("rail:other", 1))), PolicyStore.INVALID,
                "INVALID", "declares scope 'rail:other'");
    }

    @Test
    void changeSignedForAnotherScopeIsRefusedWithoutSpendingItsNonce() {
        String scope = freshScope();
        String elsewhere = freshScope();
        var kit = kit(scope);
        String forElsewhere = push(OPERATOR, elsewhere, PolicyTexts.simple(elsewhere, 1));
        assertRefused(propose(kit, forElsewhere), PolicyStore.FORBIDDEN, "WRONG_TARGET",
                "signed for scope '" + elsewhere + "'");
        assertEquals(StatusReply.success(1L), propose(kit(elsewhere), forElsewhere).reply(),
                "still good where it belongs");
        var badStore = kit("Not A Scope");
        assertRefused(propose(badStore, push(OPERATOR, "Not A Scope", PolicyTexts.simple(scope, 1))),
                PolicyStore.INVALID, "INVALID", "is not a policy scope");
    }

    @Test
    void staleVersionIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 3)));
        assertRefused(propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 3))), PolicyStore.INVALID,
                "INVALID", "version 3 is not above the current version 3");
        assertRefused(propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 2))), PolicyStore.INVALID,
                "INVALID", "version 2 is not above");
        assertEquals(3, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }

    @Test
    void aReplayedPushIsRefusedAlsoAfterTheStoreAndTheLedgerRestart() {
        String scope = freshScope();
        var kit = kit(scope);
        String first = push(OPERATOR, scope, PolicyTexts.simple(scope, 1));
        assertEquals(StatusReply.success(1L), propose(kit, first).reply());
        assertRefused(propose(kit, first), PolicyStore.FORBIDDEN, "REPLAYED", "already used");
        kit.restart();
        ledger.restart();
        assertRefused(propose(kit, first), PolicyStore.FORBIDDEN, "REPLAYED", "already used");
        assertEquals(StatusReply.success(2L), propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 2))).reply());
    }

    @Test
    void aPushWhoseNonceWasSpentElsewhereHasNoEffect() throws Exception {
        String scope = freshScope();
        var kit = kit(scope);
        String token = push(OPERATOR, scope, PolicyTexts.simple(scope, 7));
        // Its nonce spent first (e.g. the copy an edge forwarded to a store incarnation that then failed).
        SafetyRegistry.get(testKit.system()).services().operatorAuthenticator()
                .authenticate(token, OperatorCommandKind.POLICY).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertRefused(propose(kit, token), PolicyStore.FORBIDDEN, "REPLAYED", "already used");
        assertEquals(0, kit.getState().version());
        assertTrue(PolicyRegistry.get(testKit.system()).current(scope).isEmpty());
    }

    @Test
    void aLegacySignedBytesChangeThroughShardingIsRefusedJournaledAndHasNoEffect() {
        String scope = freshScope();
        var kit = kit(scope);
        // Perfectly signed by an admitted operator, in the retired format.
        PolicyChange legacy = PolicyChange.sign(OPERATOR, scope, PolicyTexts.simple(scope, 1), System.nanoTime());
        var result = proposeLegacy(kit, legacy);
        assertRefused(result, PolicyStore.FORBIDDEN, "LEGACY_FORMAT", "retired");
        assertEquals(OPERATOR.did().value(), ((PolicyStore.ChangeRefused) result.event()).operatorDid());
        assertEquals(0, result.state().version());
        assertTrue(PolicyRegistry.get(testKit.system()).current(scope).isEmpty());
        assertRefused(proposeLegacy(kit, null), PolicyStore.FORBIDDEN, "LEGACY_FORMAT", "retired");
        // Also once a policy is in force.
        assertEquals(StatusReply.success(1L), propose(kit, push(OPERATOR, scope, PolicyTexts.simple(scope, 1))).reply());
        assertRefused(proposeLegacy(kit, PolicyChange.sign(OPERATOR, scope, PolicyTexts.simple(scope, 9),
                System.nanoTime())), PolicyStore.FORBIDDEN, "LEGACY_FORMAT", "retired");
        assertEquals(1, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }

    @Test
    void aFloodOfRefusedChangesGrowsTheJournalLogarithmically() {
        String scope = freshScope();
        var kit = kit(scope);
        int journaled = 0;
        for (int i = 0; i < 300; i++) {
            var result = propose(kit, push(AGENT, scope, PolicyTexts.simple(scope, 1)));
            assertTrue(result.reply().isError());
            journaled += result.events().size();
        }
        // The first REFUSALS_JOURNALED_EACH one by one, then at 16, 32, 64, 128 and 256 only.
        assertEquals(PolicyStore.REFUSALS_JOURNALED_EACH + 5, journaled);
        kit.restart();
        assertTrue(propose(kit, push(AGENT, scope, PolicyTexts.simple(scope, 1))).hasNoEvents(),
                "the count survives recovery");
        assertEquals(0, kit.getState().version());
    }

    @Test
    void recoveryRepublishesTheLatestPolicy() {
        String scope = freshScope();
        String v1 = PolicyTexts.simple(scope, 1);
        String v2 = PolicyTexts.simple(scope, 2);
        var kit = kit(scope);
        PolicyRegistry registry = PolicyRegistry.get(testKit.system());
        assertTrue(registry.current(scope).isEmpty());
        // A journal written by an earlier incarnation (another node, before a full cluster restart).
        kit.persistenceTestKit().persistForRecovery("policy|" + scope, List.of(
                new PolicyChanged(scope, 1, PolicyParser.sha256(v1), v1, OPERATOR.did().value(), 1, "c2ln"),
                new PolicyChanged(scope, 2, PolicyParser.sha256(v2), v2, OPERATOR.did().value(), 2, "c2ln")));
        kit.restart();
        Current current = kit.<Current>runCommand(PolicyStore.GetPolicy::new).reply();
        assertEquals(2, current.version());
        assertEquals(2, registry.current(scope).orElseThrow().version(), "republished on recovery");
        assertEquals(2, kit.getState().lastNonces().get(OPERATOR.did().value()));
    }

    @Test
    void getOfAnEmptyScopeSaysVersionZero() {
        String scope = freshScope();
        assertEquals(new Current(scope, 0, "", "", ""), kit(scope).<Current>runCommand(PolicyStore.GetPolicy::new).reply());
    }

    @Test
    void shardedStoresAreReachableAndWakeRepublishes() {
        PolicyStore.init(testKit.system());
        String scope = freshScope();
        TestProbe<StatusReply<Long>> probe = testKit.createTestProbe();
        PolicyStore.ref(testKit.system(), scope)
                .tell(new PolicyStore.ProposeSigned(push(OPERATOR, scope, PolicyTexts.simple(scope, 4)), probe.ref()));
        assertEquals(StatusReply.success(4L), probe.receiveMessage(Duration.ofSeconds(15)));
        // A cluster member sends the retired format straight through sharding: refused, nothing changes.
        PolicyStore.ref(testKit.system(), scope).tell(new PolicyStore.Propose(PolicyChange.sign(OPERATOR, scope,
                PolicyTexts.simple(scope, 9), System.nanoTime()), probe.ref()));
        StatusReply<Long> legacy = probe.receiveMessage(Duration.ofSeconds(15));
        assertTrue(legacy.isError() && legacy.getError().getMessage().contains("LEGACY_FORMAT"), String.valueOf(legacy));
        PolicyStore.wake(testKit.system(), List.of(scope, "not a scope"));
        assertEquals(4, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }
}
