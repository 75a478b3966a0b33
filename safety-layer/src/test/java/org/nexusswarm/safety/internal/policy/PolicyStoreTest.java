package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.PolicyStoreEvent;

import org.nexusswarm.safety.api.policy.PolicyTexts;

import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.PolicyChanged;
import org.nexusswarm.safety.api.policy.PolicyParser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.internal.policy.PolicyStore.Command;
import org.nexusswarm.safety.internal.policy.PolicyStore.Current;
import org.nexusswarm.safety.internal.policy.PolicyStore.State;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The policy store on a one-node cluster: accepted changes are journaled then published (locally and to
 * Distributed Data); every refused change journals nothing; recovery republishes.
 */
@ExtendWith(LogCapturingExtension.class)
class PolicyStoreTest {

    private static final AtomicInteger SCOPES = new AtomicInteger();
    private static ActorTestKit testKit;
    private static final SwarmKeyPair OPERATOR = Ed25519.generate();
    private static final SwarmKeyPair AGENT = Ed25519.generate();
    private final AtomicLong nonces = new AtomicLong(1000);

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("PolicyStoreTest", ClusterTestConfig.config());
        ClusterTestConfig.join(testKit, testKit.system(), testKit.system());
        SafetyRegistry.get(testKit.system()).identities().admit(OPERATOR.did(), "operator:alice");
        SafetyRegistry.get(testKit.system()).identities().admit(AGENT.did(), "agent:drought-watch.agent-001");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static String freshScope() {
        return "rail:store-test-" + SCOPES.incrementAndGet();
    }

    private static EventSourcedBehaviorTestKit<Command, PolicyStoreEvent, State> kit(String scope) {
        return EventSourcedBehaviorTestKit.create(testKit.system(), PolicyStore.create(scope));
    }

    private PolicyChange change(SwarmKeyPair keys, String scope, String text) {
        return PolicyChange.sign(keys, scope, text, nonces.incrementAndGet());
    }

    private static CommandResultWithReply<Command, PolicyStoreEvent, State, StatusReply<Long>> propose(
            EventSourcedBehaviorTestKit<Command, PolicyStoreEvent, State> kit, PolicyChange change) {
        return kit.<StatusReply<Long>>runCommand(replyTo -> new PolicyStore.Propose(change, replyTo));
    }

    private static void assertRefused(CommandResultWithReply<Command, PolicyStoreEvent, State, StatusReply<Long>> r,
            String prefix, String fragment) {
        assertTrue(r.reply().isError(), "refused");
        String message = r.reply().getError().getMessage();
        assertTrue(message.startsWith(prefix), message);
        assertTrue(message.contains(fragment), message);
        assertTrue(r.hasNoEvents(), "nothing journaled");
    }

    @Test
    void acceptedChangeIsJournaledThenPublished() {
        String scope = freshScope();
        var kit = kit(scope);
        String text = PolicyTexts.simple(scope, 1);
        PolicyChange change = change(OPERATOR, scope, text);
        var result = propose(kit, change);
        assertEquals(StatusReply.success(1L), result.reply());
        PolicyChanged event = result.eventOfType(PolicyChanged.class);
        assertEquals(new PolicyChanged(scope, 1, PolicyParser.sha256(text), text, OPERATOR.did().value(),
                change.nonce(), Base64.getEncoder().encodeToString(change.signature())), event);
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
        assertEquals(StatusReply.success(1L), propose(kit, change(OPERATOR, scope, PolicyTexts.simple(scope, 1))).reply());
        assertEquals(StatusReply.success(5L), propose(kit, change(OPERATOR, scope, PolicyTexts.simple(scope, 5))).reply());
        assertEquals(5, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }

    @Test
    void forgedSignatureIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        PolicyChange real = change(OPERATOR, scope, PolicyTexts.simple(scope, 1));
        // The operator's DID on someone else's signature, and a signature over a different text.
        PolicyChange forged = new PolicyChange(scope, real.text(), OPERATOR.did().value(), real.nonce(),
                Ed25519.generate().sign(real.signedBytes()));
        assertRefused(propose(kit, forged), PolicyStore.FORBIDDEN, "signature does not verify");
        PolicyChange tampered = new PolicyChange(scope, PolicyTexts.simple(scope, 2), real.operatorDid(), real.nonce(),
                real.signature());
        assertRefused(propose(kit, tampered), PolicyStore.FORBIDDEN, "signature does not verify");
        PolicyChange unsigned = new PolicyChange(scope, real.text(), real.operatorDid(), real.nonce(), null);
        assertRefused(propose(kit, unsigned), PolicyStore.FORBIDDEN, "signature does not verify");
        assertTrue(PolicyRegistry.get(testKit.system()).current(scope).isEmpty());
    }

    @Test
    void nonOperatorIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        assertRefused(propose(kit, change(AGENT, scope, PolicyTexts.simple(scope, 1))), PolicyStore.FORBIDDEN,
                "is not an admitted operator");
        assertRefused(propose(kit, change(Ed25519.generate(), scope, PolicyTexts.simple(scope, 1))),
                PolicyStore.FORBIDDEN, "is not an admitted operator");
        assertRefused(propose(kit, new PolicyChange(scope, PolicyTexts.simple(scope, 1), "alice", 1, new byte[64])),
                PolicyStore.FORBIDDEN, "'alice' is not a DID");
    }

    @Test
    void unparsableTextIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        assertRefused(propose(kit, change(OPERATOR, scope, "scope = \"" + scope + "\"\nversion = 1\nrules {")),
                PolicyStore.INVALID, "does not parse: not valid HOCON: line");
        assertRefused(propose(kit, change(OPERATOR, scope, PolicyTexts.policy(scope, 1, "a { acton = \"x\" }"))),
                PolicyStore.INVALID, "unknown key 'acton'");
        assertRefused(propose(kit, change(OPERATOR, scope, "")), PolicyStore.INVALID, "the policy text is empty");
        assertRefused(propose(kit, new PolicyChange(scope, null, OPERATOR.did().value(), 1, null)), PolicyStore.INVALID,
                "needs a text and an operator DID");
        assertRefused(propose(kit, null), PolicyStore.INVALID, "needs a text and an operator DID");
        assertRefused(propose(kit, change(OPERATOR, scope, PolicyTexts.simple("rail:other", 1))), PolicyStore.INVALID,
                "declares scope 'rail:other'");
    }

    @Test
    void changeSignedForAnotherScopeIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        assertRefused(propose(kit, change(OPERATOR, "rail:elsewhere", PolicyTexts.simple(scope, 1))),
                PolicyStore.INVALID, "signed for scope 'rail:elsewhere'");
        var badStore = kit("Not A Scope");
        assertRefused(propose(badStore, change(OPERATOR, "Not A Scope", PolicyTexts.simple(scope, 1))),
                PolicyStore.INVALID, "is not a policy scope");
    }

    @Test
    void staleVersionIsRefused() {
        String scope = freshScope();
        var kit = kit(scope);
        propose(kit, change(OPERATOR, scope, PolicyTexts.simple(scope, 3)));
        assertRefused(propose(kit, change(OPERATOR, scope, PolicyTexts.simple(scope, 3))), PolicyStore.INVALID,
                "version 3 is not above the current version 3");
        assertRefused(propose(kit, change(OPERATOR, scope, PolicyTexts.simple(scope, 2))), PolicyStore.INVALID,
                "version 2 is not above");
        assertEquals(3, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }

    @Test
    void replayedNonceIsRefusedAlsoAfterRecovery() {
        String scope = freshScope();
        var kit = kit(scope);
        PolicyChange first = change(OPERATOR, scope, PolicyTexts.simple(scope, 1));
        propose(kit, first);
        assertRefused(propose(kit, first), PolicyStore.INVALID, "nonce " + first.nonce() + " was already used");
        PolicyChange sameNonceNewText = PolicyChange.sign(OPERATOR, scope, PolicyTexts.simple(scope, 2), first.nonce());
        assertRefused(propose(kit, sameNonceNewText), PolicyStore.INVALID, "was already used");
        PolicyChange olderNonce = PolicyChange.sign(OPERATOR, scope, PolicyTexts.simple(scope, 2), first.nonce() - 1);
        assertRefused(propose(kit, olderNonce), PolicyStore.INVALID, "was already used");

        kit.restart();
        assertRefused(propose(kit, sameNonceNewText), PolicyStore.INVALID, "was already used");
        assertEquals(StatusReply.success(2L), propose(kit, change(OPERATOR, scope, PolicyTexts.simple(scope, 2))).reply());
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
                .tell(new PolicyStore.Propose(change(OPERATOR, scope, PolicyTexts.simple(scope, 4)), probe.ref()));
        assertEquals(StatusReply.success(4L), probe.receiveMessage(Duration.ofSeconds(15)));
        PolicyStore.wake(testKit.system(), List.of(scope, "not a scope"));
        assertEquals(4, PolicyRegistry.get(testKit.system()).current(scope).orElseThrow().version());
    }
}
