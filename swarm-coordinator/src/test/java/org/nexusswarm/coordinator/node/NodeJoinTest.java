package org.nexusswarm.coordinator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.nexusswarm.coordinator.config.SwarmConfig;
import org.nexusswarm.coordinator.node.NodeStartException.Problem;

/**
 * A node that cannot join says why in one sentence and gives up within its join timeout: a seed of another
 * cluster, a malformed seed, a taken port, a seed nobody answers at, a seed where another cluster answers.
 * Two ActorSystems in one JVM with the in-memory journal; the command line's side is {@code NodeBadInputTest}.
 */
class NodeJoinTest {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(3);

    private static Config config(Map<String, Object> extra) {
        Map<String, Object> o = new HashMap<>(extra);
        o.put("pekko.persistence.journal.plugin", "pekko.persistence.journal.inmem");
        o.put("pekko.persistence.snapshot-store.plugin", "pekko.persistence.snapshot-store.local");
        o.put("pekko.persistence.snapshot-store.local.dir", "target/test-snapshots-join");
        o.put("nexus.swarm.operator-api.port", 0);
        o.put("nexus.swarm.memory.node-keystore-file", "target/test-keys/node.bcfks");
        o.put("nexus.swarm.memory.trusted-nodes-file", "target/test-keys/trusted-nodes");
        o.putIfAbsent("pekko.remote.artery.canonical.port", 0);
        return SwarmConfig.load("dev", o);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aSeedOfAnotherClusterIsRefusedBeforeAnythingStarts() {
        long start = System.nanoTime();
        NodeStartException e = assertThrows(NodeStartException.class, () -> SwarmNode.start(
                config(Map.of("pekko.cluster.seed-nodes", List.of("pekko://weather-swarm@127.0.0.1:25999"))),
                JOIN_TIMEOUT));
        assertEquals(Problem.WRONG_CLUSTER, e.problem());
        assertTrue(e.getMessage().contains("cluster 'weather-swarm'") && e.getMessage().contains("'nexus-swarm'")
                && e.getMessage().contains("pekko://nexus-swarm@127.0.0.1:25999"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(JOIN_TIMEOUT) < 0, "refused at once");
    }

    @Test
    void aMalformedSeedIsRefused() {
        NodeStartException e = assertThrows(NodeStartException.class, () -> SwarmNode.start(
                config(Map.of("pekko.cluster.seed-nodes", List.of("127.0.0.1:25520"))), JOIN_TIMEOUT));
        assertEquals(Problem.BAD_SEED, e.problem());
        assertTrue(e.getMessage().contains("'127.0.0.1:25520'") && e.getMessage().contains("pekko://nexus-swarm@"),
                e.getMessage());
    }

    @Test
    void aTakenRemotingPortIsFoundBeforeArteryStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            NodeStartException e = assertThrows(NodeStartException.class, () -> SwarmNode.start(
                    config(Map.of("pekko.remote.artery.canonical.port", port)), JOIN_TIMEOUT));
            assertEquals(Problem.PORT_IN_USE, e.problem());
            assertTrue(e.getMessage().contains("port 127.0.0.1:" + port + " is already in use")
                    && e.getMessage().contains("NEXUS_REMOTE_PORT"), e.getMessage());
        }
    }

    @Test
    void arteryLosingTheBindRaceIsTranslatedToo() {
        RuntimeException artery = new RuntimeException("Failed to bind TCP to [127.0.0.1:25520] due to: x",
                new BindException("Address already in use"));
        RuntimeException translated = JoinGuard.translateStartFailure(artery,
                config(Map.of("pekko.remote.artery.canonical.port", 25520)));
        assertTrue(translated instanceof NodeStartException n && n.problem() == Problem.PORT_IN_USE, translated.toString());
        RuntimeException other = new IllegalStateException("something else");
        assertEquals(other, JoinGuard.translateStartFailure(other, config(Map.of())));
    }

    @Test
    void aSeedNobodyAnswersAtIsNamedAfterTheJoinTimeout() throws IOException {
        int seedPort = freePort();
        String seed = "pekko://nexus-swarm@127.0.0.1:" + seedPort;
        // Its own port is chosen apart from the seed's: with port 0 the OS may hand it the very port just freed,
        // and the node would join itself.
        int own = freePort();
        while (own == seedPort) {
            own = freePort();
        }
        int ownPort = own;
        long start = System.nanoTime();
        NodeStartException e = assertThrows(NodeStartException.class, () -> SwarmNode.start(
                config(Map.of("pekko.cluster.seed-nodes", List.of(seed), "pekko.remote.artery.canonical.port",
                        ownPort)), JOIN_TIMEOUT));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(Problem.SEED_UNREACHABLE, e.problem());
        assertTrue(e.getMessage().contains("cannot reach seed " + seed) && e.getMessage().contains("within 3 s"),
                e.getMessage());
        assertTrue(took.compareTo(JOIN_TIMEOUT) >= 0 && took.compareTo(JOIN_TIMEOUT.plusSeconds(20)) < 0,
                "gave up after " + took);
    }

    @Test
    void anotherClusterListeningAtTheSeedsAddressIsNamedAfterTheJoinTimeout() throws Exception {
        ActorSystem<Void> other = ActorSystem.create(Behaviors.empty(), "weather-swarm",
                config(Map.of()));
        try {
            Cluster otherCluster = Cluster.get(other);
            otherCluster.manager().tell(Join.create(otherCluster.selfMember().address()));
            int port = otherCluster.selfMember().address().getPort().orElseThrow();
            // The address says nexus-swarm, but the process behind the port is the cluster 'weather-swarm'.
            String seed = "pekko://nexus-swarm@127.0.0.1:" + port;
            NodeStartException e = assertThrows(NodeStartException.class, () -> SwarmNode.start(
                    config(Map.of("pekko.cluster.seed-nodes", List.of(seed))), JOIN_TIMEOUT));
            assertEquals(Problem.JOIN_REFUSED, e.problem());
            assertTrue(e.getMessage().contains("seed " + seed + " accepts connections but did not let this node join")
                    && e.getMessage().contains("cluster 'nexus-swarm'"), e.getMessage());
        } finally {
            other.terminate();
        }
    }

    @Test
    void aGoodSeedIsJoined() {
        // The control: the same checks let a right seed through, so the refusals above are about the input.
        // The seed is a swarm node too: the cluster-wide ledgers' coordinators live on the oldest member, which
        // a bare actor system would not host.
        try (SwarmNode seedNode = SwarmNode.start(config(Map.of()), Duration.ofSeconds(30))) {
            String seed = Cluster.get(seedNode.system()).selfMember().address().toString();
            try (SwarmNode node = SwarmNode.start(config(Map.of("pekko.cluster.seed-nodes", List.of(seed))),
                    Duration.ofSeconds(30))) {
                assertEquals(MemberStatus.up(), Cluster.get(node.system()).selfMember().status());
                // Given no roles, it carries all, and with nothing deployed no role is missing.
                assertEquals(NodeRoles.all(), node.roles());
                assertTrue(Cluster.get(node.system()).selfMember().getRoles().containsAll(NodeRoles.all()));
                assertTrue(node.missingRoles().isEmpty(), node.missingRoles().toString());
            }
        }
    }
}
