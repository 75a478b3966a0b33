package org.nexusswarm.safety.api.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.approval.VoteReply;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.approval.ApprovalNotifier;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;

/**
 * An approved kill-switch lift lifts once in the whole cluster: the approval request journals its use before the
 * switch is released, so the node-level {@link KillSwitchOperations} keeps no memory of its own. A second lift with
 * the same approval is refused at the same node, and at a node that never saw the first (a fresh
 * {@code KillSwitchOperations}, as another node or this one after a restart has); a fresh approval still lifts;
 * of two lifts racing on one approval exactly one releases the target.
 *
 * <p>One self-joined cluster node with sharding, the kill switch (Distributed Data), the real authenticator over the
 * sharded nonce ledger, and the in-memory journal.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiftUsedOnceTest {

    private static final String RAIL = "drought-watch";
    private static final KillTarget TARGET = KillTarget.rail(RAIL);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private ActorTestKit testKit;
    private KillSwitch killSwitch;
    private OperatorCommandAuthenticator authenticator;
    private String audience;
    private final SwarmKeyPair operator = Ed25519.generate();
    private final List<SwarmKeyPair> approvers = List.of(Ed25519.generate(), Ed25519.generate(), Ed25519.generate());

    @BeforeAll
    void start() throws Exception {
        testKit = ActorTestKit.create("LiftUsedOnceTest", ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                """).withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test")));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        SafetyRegistry.get(testKit.system()).identities().admit(operator.did(), "operator:alice");
        ApprovalRequest.init(testKit.system());
        ApprovalNotifier.get(testKit.system()).deliverWith((requester, proof) -> { });
        PolicyRegistry.get(testKit.system()).loadLocal(PolicyParser.parse("""
                scope = "rail:%s"
                version = 1
                rules {
                  release {
                    action = "safety.release"
                    approval { quorum { k = 2, approvers = ["%s", "%s", "%s"], timeout = 1m } }
                  }
                }
                """.formatted(RAIL, approvers.get(0).did().value(), approvers.get(1).did().value(),
                approvers.get(2).did().value())));
        authenticator = OperatorCommandAuthenticator.get(testKit.system());
        audience = OperatorCommandSettings.audienceOf(testKit.system());
        killSwitch = KillSwitch.get(testKit.system());
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void releaseAll() throws Exception {
        for (KillTarget t : killSwitch.engaged()) {
            killSwitch.release(t).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The operator edge of one node: it keeps nothing between lifts that another node would not have. */
    private KillSwitchOperations node() {
        return new KillSwitchOperations(testKit.system(), SafetyRegistry.get(testKit.system()), killSwitch,
                Clock.systemUTC(), Duration.ofSeconds(15));
    }

    private VerifiedOperatorCommand command(OperatorCommandKind kind, Object... body) {
        return authenticator.verifier().verify(OperatorTokens.sign(operator, audience, kind,
                OperatorTokens.body(body)), kind);
    }

    private VerifiedOperatorCommand lift(String approvalId) {
        return command(OperatorCommandKind.LIFT, "approvalId", approvalId);
    }

    private void engage() throws Exception {
        killSwitch.engage(TARGET, "operator:alice", "flood").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(killSwitch.covers("agent:x", RAIL, null));
    }

    /** Engages the rail, requests its lift at {@code at} and has two approvers approve it. */
    private String approvedLift(KillSwitchOperations at) throws Exception {
        engage();
        String id = at.requestLift(command(OperatorCommandKind.LIFT_REQUEST, "scope", "RAIL", "name", RAIL,
                "reason", "flood over")).toCompletableFuture().get(20, TimeUnit.SECONDS).approvalId();
        for (int i = 0; i < 2; i++) {
            String vote = OperatorTokens.sign(approvers.get(i), audience, OperatorCommandKind.VOTE,
                    OperatorTokens.body("approvalId", id, "approve", true));
            VoteReply reply = OperatorCommands.get(testKit.system()).vote(id, vote).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
            assertInstanceOf(ApprovalView.class, reply);
        }
        return id;
    }

    private void lifted(KillSwitchOperations at, String approvalId) throws Exception {
        KillSwitchOperations.Lifted lifted = at.lift(lift(approvalId)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(TARGET, lifted.target());
        assertFalse(killSwitch.covers("agent:x", RAIL, null));
    }

    private static OperatorCommandRefused refusal(java.util.concurrent.CompletionStage<?> stage) {
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(20, TimeUnit.SECONDS));
        return OperatorCommandRefused.in(failed).orElseThrow(() -> new AssertionError(failed));
    }

    private List<Object> journal(String approvalId) {
        return PersistenceTestKit.create(testKit.system()).persistedInStorage("approval|" + approvalId);
    }

    private static long count(List<Object> journal, Class<?> type) {
        return journal.stream().filter(type::isInstance).count();
    }

    @Test
    void theSameApprovalAppliedTwiceAtOneNodeIsRefusedAndJournaled() throws Exception {
        KillSwitchOperations node = node();
        String id = approvedLift(node);
        lifted(node, id);
        engage();
        assertEquals(OperatorCommandRefused.Code.ALREADY_USED, refusal(node.lift(lift(id))).code());
        assertTrue(killSwitch.covers("agent:x", RAIL, null), "the re-engagement stands");
        List<Object> journal = journal(id);
        assertEquals(1, count(journal, ApprovalRequest.DecisionConsumed.class), String.valueOf(journal));
        assertEquals(1, count(journal, ApprovalRequest.ConsumeRefused.class), String.valueOf(journal));
    }

    @Test
    void anotherNodeOrARestartedOneStillRefusesAUsedApproval() throws Exception {
        KillSwitchOperations first = node();
        String id = approvedLift(first);
        lifted(first, id);
        engage();
        // Nothing of the first node's edge survives: a new one, as at another node or after a restart.
        KillSwitchOperations second = node();
        OperatorCommandRefused refused = refusal(second.lift(lift(id)));
        assertEquals(OperatorCommandRefused.Code.ALREADY_USED, refused.code());
        assertTrue(refused.detail().contains("operator:alice"), refused.detail());
        assertTrue(killSwitch.covers("agent:x", RAIL, null), "the re-engagement stands");
    }

    @Test
    void aFreshApprovalStillLifts() throws Exception {
        KillSwitchOperations node = node();
        String used = approvedLift(node);
        lifted(node, used);
        String fresh = approvedLift(node());
        assertEquals(OperatorCommandRefused.Code.ALREADY_USED, refusal(node().lift(lift(used))).code());
        lifted(node(), fresh);
    }

    @Test
    void aLiftThatIsRefusedBeforeItsUseKeepsItsTokenAndTheApproval() throws Exception {
        KillSwitchOperations node = node();
        engage();
        String id = node.requestLift(command(OperatorCommandKind.LIFT_REQUEST, "scope", "RAIL", "name", RAIL,
                "reason", "flood over")).toCompletableFuture().get(20, TimeUnit.SECONDS).approvalId();
        assertEquals(OperatorCommandRefused.Code.AWAITS_APPROVAL, refusal(node.lift(lift(id))).code());
        assertEquals(OperatorCommandRefused.Code.UNKNOWN_APPROVAL, refusal(node.lift(lift("no-such-approval"))).code());
        assertTrue(killSwitch.covers("agent:x", RAIL, null));
        assertEquals(1, count(journal(id), ApprovalRequest.ConsumeRefused.class), "the early lift is journaled");
    }

    @Test
    void ofTwoLiftsRacingOnOneApprovalExactlyOneReleases() throws Exception {
        String id = approvedLift(node());
        List<CompletableFuture<KillSwitchOperations.Lifted>> racing = new ArrayList<>();
        racing.add(node().lift(lift(id)).toCompletableFuture());
        racing.add(node().lift(lift(id)).toCompletableFuture());
        int won = 0;
        for (CompletableFuture<KillSwitchOperations.Lifted> lift : racing) {
            try {
                assertEquals(TARGET, lift.get(20, TimeUnit.SECONDS).target());
                won++;
            } catch (ExecutionException e) {
                assertEquals(OperatorCommandRefused.Code.ALREADY_USED, OperatorCommandRefused.in(e).orElseThrow().code());
            }
        }
        assertEquals(1, won);
        assertEquals(1, count(journal(id), ApprovalRequest.DecisionConsumed.class));
    }
}
