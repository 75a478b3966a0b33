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
 * {@code swarm node --roles agents} on its own, with a rail whose other kinds need other roles: the node says
 * plainly which roles the cluster lacks (its own JVM, in-memory journal).
 */
class NodeRolesCommandTest {

    @TempDir
    Path dir;

    @Test
    void aNodeWithoutTheRolesOfDeployedKindsSaysWhichAreMissing() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, List.of(), "node", "--roles", "agents",
                "--rail", "climate/drought-watch", "--for", "1")) {
            int code = node.awaitExit(Duration.ofSeconds(120));
            String out = node.out();
            assertEquals(0, code, out + node.err());
            assertTrue(out.contains(", roles agents\n"), out);
            assertTrue(out.contains("Warning: no Up member of the cluster has role delegators, nodes, orchestrators: "
                    + "the deployed node, delegator, orchestrator entities cannot run until a node started with "
                    + "--roles delegators,nodes,orchestrators joins."), out);
            assertFalse(out.contains("has role agents"), out);
        }
    }

    @Test
    void aNodeGivenNoRolesCarriesAllAndWarnsOfNothing() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, List.of(), "node", "--rail", "climate/drought-watch",
                "--for", "1")) {
            int code = node.awaitExit(Duration.ofSeconds(120));
            String out = node.out();
            assertEquals(0, code, out + node.err());
            assertTrue(out.contains(", roles nodes,agents,delegators,orchestrators\n"), out);
            assertFalse(out.contains("Warning") || node.err().contains("no Up member"), out + node.err());
        }
    }
}
