package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarm node} stops cleanly: a timed stop ({@code --for}) and SIGTERM (what Ctrl-C and {@code kill} send)
 * both close the node in order and exit 0, with no exception on either stream. Each runs the command as its own
 * JVM, because the failure this guards against (the JVM's shutdown hooks racing the node's own shutdown) only
 * exists in a real process.
 */
class NodeStopTest {

    @TempDir
    Path dir;

    @Test
    void aTimedStopExitsZeroWithoutAStackTrace() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, List.of(), "node", "--for", "2")) {
            int code = node.awaitExit(Duration.ofSeconds(120));
            assertEquals(0, code, node.out() + node.err());
            assertTrue(node.out().contains("Time is up (--for 2)."), node.out());
            assertTrue(node.out().contains("Node stopped."), node.out());
            assertNoException(node);
        }
    }

    @Test
    void sigtermStopsTheNodeCleanlyAndExitsZero() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, List.of(), "node")) {
            node.awaitOutput("Stop with Ctrl-C.", Duration.ofSeconds(120));
            node.process().destroy(); // SIGTERM on Linux and macOS
            int code = node.awaitExit(Duration.ofSeconds(60));
            assertEquals(0, code, node.out() + node.err());
            assertTrue(node.out().contains("Stop requested."), node.out());
            assertTrue(node.out().contains("Node stopped."), node.out());
            assertNoException(node);
        }
    }

    private static void assertNoException(NodeProcess node) {
        String all = node.out() + node.err();
        assertFalse(all.contains("Exception") || all.contains("\tat "), "no exception expected:\n" + all);
        assertFalse(all.contains("error:"), all);
    }
}
