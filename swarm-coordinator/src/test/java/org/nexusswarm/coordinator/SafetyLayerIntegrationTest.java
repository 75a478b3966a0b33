package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.coordinator.rail.RailPolicies;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.VoteReply;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;

/**
 * The safety layer wired to a real cluster node and the real Cassandra: the pack's policy is put in force
 * through the journaled policy store, the cluster-wide kill switch quarantines a whole rail, and a quarantined
 * entity comes back only after a quorum of approvers signs its release — its journal tells the whole story.
 */
class SafetyLayerIntegrationTest {

    private static final String KEYSPACE = "it_safety";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void killSwitchQuarantinesTheRailAndAQuorumReleasesAnEntity() throws Exception {
        try (SwarmNode node = TestSwarm.node(KEYSPACE)) {
            Pack climate = Packs.find("climate");
            var blueprint = climate.rail("drought-watch",
                    new RailOptions(4, 2, 0, 2, 2, 5).withInstance("it-safety-" + System.currentTimeMillis()));
            DeployedRail rail = RailDeployer.deploy(node.registry(), blueprint);
            var installed = RailPolicies.install(node.system(), node.bootstrapOperator(), climate, blueprint, WAIT);
            assertTrue(installed.isPresent());

            // Three approvers; the policy in force names them for safety.release (2 of 3), pushed as version+1.
            List<SwarmKeyPair> approvers = List.of(Ed25519.generate(), Ed25519.generate(), Ed25519.generate());
            String policy = climate.policyText("drought-watch").orElseThrow()
                    .replaceFirst("version = \\d+", "version = " + (installed.get().version() + 1))
                    .replace("rules {", "rules {\n  release { action = \"safety.release\", approval { quorum { k = 2, "
                            + "approvers = [" + approvers.stream().map(k -> "\"" + k.did().value() + "\"")
                                    .reduce((a, b) -> a + ", " + b).orElseThrow()
                            + "], timeout = 5m } } }");
            pushPolicy(node, policy);

            Signal reading = rail.blueprint().signals().round(1).get(0);
            EntityAddress agent = reading.target();
            DeliveryReply before = ask(node, agent, r -> new Deliver(rail.feed().envelope(agent, reading.payload()), r));
            assertInstanceOf(DeliveryReply.Accepted.class, before);

            KillTarget railTarget = KillTarget.rail("drought-watch");
            KillSwitch.get(node.system()).engage(railTarget, "operator:it", "integration test").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            TestProbe<Object> probe = TestProbe.create(node.system());
            probe.awaitAssert(WAIT, () -> {
                for (EntityAddress a : rail.addresses()) {
                    assertTrue(this.<EntityStatus>askQuietly(node, a, GetStatus::new).quarantined(), a + " quarantined");
                }
                return null;
            });
            EntityStatus refusedRelease = ask(node, agent, r -> TestSwarm.release(agent, "too early", r));
            assertTrue(refusedRelease.reason().contains("kill switch"), refusedRelease.reason());

            KillSwitch.get(node.system()).release(railTarget).toCompletableFuture().get(10, TimeUnit.SECONDS);
            EntityStatus asked = ask(node, agent, r -> TestSwarm.release(agent, "cell checked by hand", r));
            assertTrue(asked.quarantined());
            String approvalId = asked.reason().substring(asked.reason().lastIndexOf(' ') + 1);
            for (int i = 0; i < 2; i++) {
                String vote = org.nexusswarm.safety.api.operator.OperatorTokens.sign(approvers.get(i),
                        TestSwarm.AUDIENCE, org.nexusswarm.safety.api.operator.OperatorCommandKind.VOTE,
                        org.nexusswarm.safety.api.operator.OperatorTokens.body("approvalId", approvalId, "approve", true,
                                "comment", "checked"));
                VoteReply reply = org.nexusswarm.safety.api.operator.OperatorCommands.get(node.system())
                        .vote(approvalId, vote).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertFalse(reply instanceof VoteReply.Refused, String.valueOf(reply));
            }
            probe.awaitAssert(WAIT, () -> {
                assertFalse(this.<EntityStatus>askQuietly(node, agent, GetStatus::new).quarantined());
                return null;
            });
            DeliveryReply after = ask(node, agent, r -> new Deliver(rail.feed().envelope(agent, reading.payload()), r));
            assertInstanceOf(DeliveryReply.Accepted.class, after, "the released entity's new logic accepts work");
            DeliveryReply other = ask(node, rail.addresses().get(0), r -> new Deliver(
                    rail.feed().envelope(rail.addresses().get(0), reading.payload()), r));
            assertEquals(RefusalCode.QUARANTINED, ((DeliveryReply.Refused) other).code(),
                    "the others stay quarantined until released one by one");

            List<String> types = new JournalReader(node.system(), "pekko.persistence.cassandra.query")
                    .readAll(agent.persistenceId()).toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .stream().map(JournalEntry::type).toList();
            assertTrue(types.containsAll(List.of("Observed", "Killed", "ReleaseRequested", "ApprovalResolved",
                    "Released")), types.toString());
            assertTrue(types.indexOf("Killed") < types.indexOf("Released"));
        }
    }

    private static void pushPolicy(SwarmNode node, String text) throws Exception {
        String push = org.nexusswarm.safety.api.operator.OperatorTokens.sign(node.bootstrapOperator(),
                TestSwarm.AUDIENCE, org.nexusswarm.safety.api.operator.OperatorCommandKind.POLICY,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("scope", "rail:drought-watch", "text", text));
        long version = org.nexusswarm.safety.api.operator.OperatorCommands.get(node.system())
                .pushPolicy("rail:drought-watch", push).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        TestProbe<Object> probe = TestProbe.create(node.system());
        probe.awaitAssert(WAIT, () -> {
            assertEquals(version, PolicyRegistry.get(node.system()).current("rail:drought-watch").orElseThrow().version());
            return null;
        });
    }

    private <R> R askQuietly(SwarmNode node, EntityAddress target, Function<ActorRef<R>, EntityCommand> message)
            throws Exception {
        return ask(node, target, message);
    }

    private static <R> R ask(SwarmNode node, EntityAddress target, Function<ActorRef<R>, EntityCommand> message)
            throws Exception {
        return node.<R>ask(target, message).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
