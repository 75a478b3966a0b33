package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.internal.durable.DurableSafetyState;
import org.nexusswarm.safety.internal.durable.KillSwitchLedger;
import org.nexusswarm.safety.internal.durable.OperatorLedger;
import org.nexusswarm.safety.internal.durable.RevocationLedger;
import org.nexusswarm.safety.internal.monitor.KillSwitch;

/**
 * A full-cluster restart in one JVM: a one-node cluster takes a kill, a revocation and an operator admission through
 * the signed operator commands, then stops; a new node (a new ActorSystem, nothing in memory) starts on the same
 * journal contents (the in-memory journal's events handed over) and, without being told anything, enforces them
 * from its first message: the killed entity's first delivery is refused and its logic never starts, the revoked
 * credential is revoked and the admitted operator may sign commands. Also: when the ledger cannot store an
 * engagement, the operator gets no acknowledgement and nothing is engaged.
 */
@ExtendWith(LogCapturingExtension.class)
class DurableSafetyRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "DurableSafetyRestartTest";
    private static final EntityAddress KILLED = EntityAddress.of(EntityKind.AGENT, "durable-killed");
    private static final List<String> LEDGERS = List.of(KillSwitchLedger.ledgerId().id(),
            RevocationLedger.ledgerId().id(), OperatorLedger.ledgerId().id());

    private static Config config() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                nexus.swarm.safety.durable.ask-timeout = 3s
                nexus.swarm.safety.durable.retry = 200ms
                """).withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test"));
    }

    private static void joinSelf(ActorTestKit testKit) {
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRestartedClusterEnforcesTheJournaledKillRevocationAndOperatorFromItsFirstMessage() throws Exception {
        SwarmKeyPair bob = Ed25519.generate();
        SwarmKeyPair operator;
        Map<String, List<Object>> journal = new HashMap<>();

        ActorTestKit first = ActorTestKit.create(NAME, config());
        try {
            SafetyFixture fixture = new SafetyFixture(first);
            operator = fixture.operator;
            joinSelf(first);
            SafetySupervisor.initSharding(first.system());
            await(DurableSafetyState.get(first.system()).restore());
            OperatorCommands ops = OperatorCommands.get(first.system());
            String audience = OperatorCommandSettings.audienceOf(first.system());

            await(ops.engage(OperatorTokens.sign(operator, audience, OperatorCommandKind.KILL, OperatorTokens.body(
                    "scope", "ENTITY", "name", KILLED.toString(), "reason", "runaway"))));
            await(ops.revoke(OperatorTokens.sign(operator, audience, OperatorCommandKind.REVOKE, OperatorTokens.body(
                    "credentialId", "cred-durable", "reason", "key leaked"))));
            await(ops.admitOperator(OperatorTokens.sign(operator, audience, OperatorCommandKind.ADMIT_OPERATOR,
                    OperatorTokens.body("did", bob.did().value(), "name", "bob"))));

            PersistenceTestKit stored = PersistenceTestKit.create(first.system());
            LEDGERS.forEach(id -> journal.put(id, List.copyOf(stored.persistedInStorage(id))));
        } finally {
            first.shutdownTestKit();
        }
        assertEquals(1, journal.get(KillSwitchLedger.ledgerId().id()).size());

        ActorTestKit second = ActorTestKit.create(NAME, config());
        try {
            PersistenceTestKit stored = PersistenceTestKit.create(second.system());
            journal.forEach(stored::persistForRecovery);
            // The kill-switch ledger recovers only after a few failed reads: restoring takes seconds, while the
            // entity's own journal is ready at once. Only the wait for the restored state keeps it from acting.
            stored.failNextNReads(KillSwitchLedger.ledgerId().id(), 4);
            SafetyFixture fixture = new SafetyFixture(second);
            SafetyFixture.Deployed killed = fixture.deploy(KILLED, keys -> fixture.credential(keys,
                    List.of("compute.request")), null);
            assertTrue(SafetyRegistryView.lookup(second, bob).isEmpty(), "nothing admitted bob on this node");
            joinSelf(second);
            SafetySupervisor.initSharding(second.system());

            // The first message, sent without waiting for anything: the entity waits for the restored state.
            DeliveryReply reply = await(ClusterSharding.get(second.system())
                    .entityRefFor(KILLED.kind().typeKey(), KILLED.id())
                    .<DeliveryReply>ask(replyTo -> new Deliver(fixture.fromOperator(KILLED,
                            new TestPayloads.Note("first")), replyTo), WAIT));

            assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, reply).code());
            killed.starts().expectNoMessage(Duration.ofMillis(300));
            killed.inputs().expectNoMessage(Duration.ofMillis(100));
            assertTrue(KillSwitch.get(second.system()).covers(KILLED.toString(), null, null));
            assertTrue(RevocationList.get(second.system()).isRevoked("cred-durable"));
            assertEquals("operator:bob", SafetyRegistryView.lookup(second, bob).orElseThrow());
            // bob's signed commands are accepted on the new node.
            String audience = OperatorCommandSettings.audienceOf(second.system());
            assertEquals("operator:bob", await(OperatorCommands.get(second.system()).revoke(OperatorTokens.sign(bob,
                    audience, OperatorCommandKind.REVOKE, OperatorTokens.body("credentialId", "cred-2",
                            "reason", "second thoughts")))).operator());
        } finally {
            // A ledger still restarting slows the stop down; a slow stop must not hide the assertion above.
            ActorTestKit.shutdown(second.system(), Duration.ofSeconds(30), false);
        }
    }

    @Test
    void anEngagementTheLedgerCannotStoreIsNeitherAcknowledgedNorInForce() throws Exception {
        ActorTestKit node = ActorTestKit.create(NAME + "-fail", config());
        try {
            SafetyFixture fixture = new SafetyFixture(node);
            joinSelf(node);
            SafetySupervisor.initSharding(node.system());
            await(DurableSafetyState.get(node.system()).restore());
            OperatorCommands ops = OperatorCommands.get(node.system());
            String audience = OperatorCommandSettings.audienceOf(node.system());
            PersistenceTestKit journal = PersistenceTestKit.create(node.system());
            journal.failNextPersisted(KillSwitchLedger.ledgerId().id());

            ExecutionException failed = assertThrows(ExecutionException.class, () -> await(ops.engage(
                    OperatorTokens.sign(fixture.operator, audience, OperatorCommandKind.KILL, OperatorTokens.body(
                            "scope", "RAIL", "name", "unstored", "reason", "flood")))));

            OperatorCommandRefused refused = assertInstanceOf(OperatorCommandRefused.class, failed.getCause());
            assertEquals(OperatorCommandRefused.Code.UNAVAILABLE, refused.code());
            assertFalse(KillSwitch.get(node.system()).engaged().contains(KillTarget.rail("unstored")));
            assertTrue(journal.persistedInStorage(KillSwitchLedger.ledgerId().id()).isEmpty());

            journal.failNextPersisted(RevocationLedger.ledgerId().id());
            ExecutionException notRevoked = assertThrows(ExecutionException.class, () -> await(ops.revoke(
                    OperatorTokens.sign(fixture.operator, audience, OperatorCommandKind.REVOKE, OperatorTokens.body(
                            "credentialId", "cred-unstored", "reason", "x")))));
            assertEquals(OperatorCommandRefused.Code.UNAVAILABLE,
                    assertInstanceOf(OperatorCommandRefused.class, notRevoked.getCause()).code());
            assertFalse(RevocationList.get(node.system()).isRevoked("cred-unstored"));
        } finally {
            node.shutdownTestKit();
        }
    }

    /** The name this node admits a key under, if any. */
    private static final class SafetyRegistryView {
        static java.util.Optional<String> lookup(ActorTestKit node, SwarmKeyPair key) {
            return org.nexusswarm.safety.api.registry.SafetyRegistry.get(node.system()).identities()
                    .lookup(key.did().value()).map(p -> p.name());
        }
    }
}
