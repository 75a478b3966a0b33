package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;

/**
 * Quarantine survives rebalancing: an entity killed on node A is still quarantined after A leaves the
 * cluster and sharding hands its shard to node B, which recovers it from the Cassandra journal.
 */
class RebalanceIntegrationTest {

    private static final String KEYSPACE = "it_rebalance";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void quarantinedEntityStaysQuarantinedWhenItsShardMovesToAnotherNode() throws Exception {
        SwarmNode a = TestSwarm.node(KEYSPACE);
        SwarmNode b = null;
        try {
            DeployedRail rail = RailDeployer.deploy(a.registry(),
                    Packs.find("climate").rail("drought-watch", new RailOptions(4, 2, 1, 2, 2, 11)));
            Signal reading = rail.blueprint().signals().round(1).get(0);
            EntityAddress victim = reading.target();
            EntityAddress bystander = rail.blueprint().signals().round(1).get(1).target();
            EntityStatus killed = ask(a, victim, r -> TestSwarm.kill(victim, "rebalance test", r));
            assertTrue(killed.quarantined());
            DeliveryReply accepted = ask(a, bystander,
                    r -> new Deliver(rail.feed().envelope(bystander, reading.payload()), r));
            assertInstanceOf(DeliveryReply.Accepted.class, accepted);

            String seed = a.system().address().toString();
            b = SwarmNode.start(TestSwarm.config(KEYSPACE, Map.of("pekko.cluster.seed-nodes", List.of(seed))), WAIT);
            RailDeployer.deployOnto(b.registry(), rail);
            awaitMembers(b, 2);

            Cluster.get(a.system()).manager().tell(Leave.create(Cluster.get(a.system()).selfMember().address()));
            awaitMembers(b, 1);
            a.close();

            SwarmNode survivor = b;
            EntityStatus moved = ask(survivor, victim, GetStatus::new);
            assertTrue(moved.quarantined(), "quarantine must survive the shard moving to node B");
            assertEquals("rebalance test", moved.reason());
            DeliveryReply refused = ask(survivor, victim,
                    r -> new Deliver(rail.feed().envelope(victim, reading.payload()), r));
            assertEquals(RefusalCode.QUARANTINED, ((DeliveryReply.Refused) refused).code());

            EntityStatus other = ask(survivor, bystander, GetStatus::new);
            assertFalse(other.quarantined());
            assertTrue(other.lastSequence() >= 1, "bystander's journal recovered on node B");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    private static void awaitMembers(SwarmNode node, int count) {
        TestProbe<Object> probe = TestProbe.create(node.system());
        probe.awaitAssert(WAIT, () -> {
            long up = java.util.stream.StreamSupport.stream(
                    Cluster.get(node.system()).state().getMembers().spliterator(), false)
                    .filter(m -> m.status() == MemberStatus.up()).count();
            assertEquals(count, up);
            return null;
        });
    }

    private static <R> R ask(SwarmNode node, EntityAddress target, Function<ActorRef<R>, EntityCommand> message)
            throws Exception {
        return node.<R>ask(target, message).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
