package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarm node} given a join it cannot make, as an operator would run it (its own JVM, the local-cluster
 * profile, NEXUS_SEED / NEXUS_REMOTE_PORT): exit 9 within the join timeout, exactly one {@code error:} line that
 * names the seed or the port, and no stack trace. The reasons themselves are tested in {@code NodeJoinTest}.
 */
class NodeBadInputTest {

    @TempDir
    Path dir;

    @Test
    void aSeedOfAnotherClusterIsOneErrorLine() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir,
                Map.of("NEXUS_SEED", "pekko://weather@127.0.0.1:25520", "NEXUS_REMOTE_PORT", "0"), List.of(),
                "node", "--profile", "local-cluster")) {
            assertFailsWithOneLine(node, Duration.ofSeconds(60), "seed pekko://weather@127.0.0.1:25520 is a node of "
                    + "cluster 'weather', but this node belongs to cluster 'nexus-swarm'");
        }
    }

    @Test
    void aTakenPortIsOneErrorLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (NodeProcess node = NodeProcess.start(dir, Map.of("NEXUS_REMOTE_PORT", String.valueOf(port)),
                    List.of(), "node", "--profile", "local-cluster")) {
                assertFailsWithOneLine(node, Duration.ofSeconds(60), "port 127.0.0.1:" + port + " is already in use");
            }
        }
    }

    @Test
    void anUnreachableSeedIsNamedAfterTheJoinTimeout() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String seed = "pekko://nexus-swarm@127.0.0.1:" + closed;
        try (NodeProcess node = NodeProcess.start(dir,
                Map.of("NEXUS_SEED", seed, "NEXUS_REMOTE_PORT", "0", "NEXUS_JOIN_TIMEOUT", "4s"), List.of(),
                "node", "--profile", "local-cluster")) {
            assertFailsWithOneLine(node, Duration.ofSeconds(90), "cannot reach seed " + seed + ": no answer within 4 s");
            assertTrue(node.out().contains("Joining the cluster via " + seed + " (giving up after 4 s)"), node.out());
        }
    }

    private static void assertFailsWithOneLine(NodeProcess node, Duration limit, String expected) throws Exception {
        int code = node.awaitExit(limit);
        String all = node.out() + node.err();
        assertEquals(ExitCodes.CANNOT_JOIN, code, all);
        List<String> errors = node.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), all);
        assertTrue(errors.get(0).contains(expected), errors.get(0));
        assertFalse(all.contains("\tat ") || all.contains("NEXUS_DEBUG"), "no stack trace:\n" + all);
        assertFalse(all.contains("Node up"), all);
    }
}
