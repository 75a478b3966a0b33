package org.nexusswarm.safety.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.safety.api.SafetyLayer;

/**
 * With {@code nexus.swarm.safety.sharding.by-role = on}, each entity kind's shards are allocated only to members
 * with its role: twenty agents, all asked through the node that may not host them, all live on the agents node,
 * and twenty delegators all on the other. Two cluster nodes in one JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardingByRoleTest {

    private static final String BY_ROLE = "nexus.swarm.safety.sharding.by-role = on\n"
            + "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"\n"
            + "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.snapshot-store.local\"\n"
            + "pekko.persistence.snapshot-store.local.dir = \"target/test-snapshots-roles\"\n";
    private ActorTestKit agentsNode;
    private ActorTestKit othersNode;

    @BeforeAll
    void start() {
        agentsNode = ClusterNodes.firstNode("ShardingByRole", BY_ROLE + "pekko.cluster.roles = [agents]");
        othersNode = ClusterNodes.joining(agentsNode,
                BY_ROLE + "pekko.cluster.roles = [nodes, delegators, orchestrators]");
        SafetyLayer.start(agentsNode.system());
        SafetyLayer.start(othersNode.system());
    }

    @AfterAll
    void stop() {
        othersNode.shutdownTestKit();
        agentsNode.shutdownTestKit();
    }

    @Test
    void eachKindLivesOnlyOnMembersWithItsRole() {
        Address agentsAddress = Cluster.get(agentsNode.system()).selfMember().address();
        Address othersAddress = Cluster.get(othersNode.system()).selfMember().address();
        // Asked through the node that does NOT carry the kind's role, so its region can only be a proxy.
        touch(othersNode, EntityKind.AGENT);
        touch(agentsNode, EntityKind.DELEGATOR);
        // Stats are asked of a node with a full region for the kind (a proxy has no stats to give).
        assertEquals(Set.of(agentsAddress), hostsOf(EntityKind.AGENT, agentsNode));
        assertEquals(Set.of(othersAddress), hostsOf(EntityKind.DELEGATOR, othersNode));
    }

    private static void touch(ActorTestKit via, EntityKind kind) {
        TestProbe<EntityStatus> replies = via.createTestProbe();
        ClusterSharding sharding = ClusterSharding.get(via.system());
        for (int i = 0; i < 20; i++) {
            sharding.entityRefFor(kind.typeKey(), kind.label() + "-" + i).tell(new GetStatus(replies.ref()));
        }
        // Every entity answered (the not-deployed stand-in answers too): all twenty shards are allocated.
        for (int i = 0; i < 20; i++) {
            replies.expectMessageClass(EntityStatus.class, Duration.ofSeconds(20));
        }
    }

    /** The members hosting at least one shard of {@code kind}. */
    private static Set<Address> hostsOf(EntityKind kind, ActorTestKit via) {
        TestProbe<org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats> stats = via.createTestProbe();
        ClusterSharding.get(via.system()).shardState()
                .tell(new GetClusterShardingStats(kind.typeKey(), Duration.ofSeconds(10), stats.ref()));
        var regions = stats.receiveMessage(Duration.ofSeconds(15)).getRegions();
        Set<Address> hosts = new HashSet<>();
        regions.forEach((address, region) -> {
            if (!region.getStats().isEmpty()) {
                hosts.add(address);
            }
        });
        assertTrue(!hosts.isEmpty(), "no shard of " + kind + " allocated: " + regions);
        return hosts;
    }
}
