package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.monitor.KillSwitches;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommands;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/**
 * Kill-switch engagements, revocations and admitted operators survive a full-cluster restart against the real
 * Cassandra: a node engages the kill switch for a rail no entity of which has run yet, revokes a credential and
 * admits an operator, then stops (the whole cluster); a new node on the same keyspace, told nothing, enforces all
 * three: the rail's first message is refused (QUARANTINED), the credential is revoked, and the admitted operator's
 * signed command is accepted.
 */
class DurableSafetyStateIntegrationTest {

    private static final String KEYSPACE = "it_durable_safety";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aNewNodeOnTheSameKeyspaceEnforcesTheKillSwitchRevocationAndOperatorFromItsFirstMessage() throws Exception {
        SwarmKeyPair bob = Ed25519.generate();
        try (SwarmNode first = TestSwarm.node(KEYSPACE)) {
            OperatorCommands ops = OperatorCommands.get(first.system());
            await(ops.engage(sign(TestSwarm.IT_OPERATOR, OperatorCommandKind.KILL, "scope", "RAIL", "name",
                    "drought-watch", "reason", "restart test")));
            await(ops.revoke(sign(TestSwarm.IT_OPERATOR, OperatorCommandKind.REVOKE, "credentialId",
                    "cred-durable-it", "reason", "restart test")));
            await(ops.admitOperator(sign(TestSwarm.IT_OPERATOR, OperatorCommandKind.ADMIT_OPERATOR, "did",
                    bob.did().value(), "name", "bob")));
        }

        // Not TestSwarm.node: nothing is admitted or engaged on this node but what the journal holds.
        try (SwarmNode second = SwarmNode.start(TestSwarm.config(KEYSPACE, Map.of()), WAIT)) {
            DeployedRail rail = RailDeployer.deploy(second.registry(), Packs.find("climate").rail("drought-watch",
                    new RailOptions(4, 2, 1, 2, 2, 7)));
            Signal reading = rail.blueprint().signals().round(1).get(0);
            EntityAddress agent = reading.target();

            DeliveryReply first = second.<DeliveryReply>ask(agent, r -> new Deliver(rail.feed().envelope(agent,
                    reading.payload()), r)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, first).code());
            assertTrue(KillSwitches.engaged(second.system()).stream()
                    .anyMatch(e -> e.target().equals(KillTarget.rail("drought-watch"))));
            assertTrue(RevocationList.get(second.system()).isRevoked("cred-durable-it"));
            assertEquals("operator:bob", second.registry().identities().lookup(bob.did().value()).orElseThrow()
                    .name());
            assertEquals("operator:bob", await(OperatorCommands.get(second.system()).revoke(sign(bob,
                    OperatorCommandKind.REVOKE, "credentialId", "cred-durable-it-2", "reason", "bob can"))).operator());
        }
    }

    private static String sign(SwarmKeyPair operator, OperatorCommandKind kind, Object... body) {
        return OperatorTokens.sign(operator, TestSwarm.AUDIENCE, kind, OperatorTokens.body(body));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
