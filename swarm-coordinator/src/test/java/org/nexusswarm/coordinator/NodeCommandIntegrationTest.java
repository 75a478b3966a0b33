package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.coordinator.cli.SwarmCli;

/** {@code swarm node} runs a node on the real Cassandra, deploys a rail with its policy and stops cleanly. */
class NodeCommandIntegrationTest {

    @Test
    void aNodeRunsDeploysARailAdmitsOperatorsAndStops() {
        String did = Ed25519.generate().did().value();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The node keeps its keys, trust lists and pack manifests where every other test node of this JVM keeps
        // them (TestSwarm): never in a .nexus a previous build left behind (a stale manifest's hashes would not
        // match the classes just compiled), and one publisher key for all, so each trusts the manifests of the others.
        java.util.Map<String, String> testPaths = java.util.Map.of(
                "nexus.swarm.packs.admission.manifest-dir", "target/test-keys/packs-" + ProcessHandle.current().pid(),
                "nexus.swarm.packs.admission.trusted-publishers-file", "target/test-keys/trusted-pack-publishers",
                "nexus.swarm.memory.node-keystore-file", "target/test-keys/node.bcfks",
                "nexus.swarm.memory.trusted-nodes-file", "target/test-keys/trusted-nodes");
        java.util.Map<String, String> before = new java.util.HashMap<>();
        testPaths.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
        com.typesafe.config.ConfigFactory.invalidateCaches();
        int code;
        try {
            code = SwarmCli.execute(new String[] {"node", "--cassandra", TestSwarm.contactPoint(), "--keyspace",
                    "it_node", "--rail", "climate/drought-watch", "--instance", "it-node-" + System.currentTimeMillis(),
                    "--operator", "alice=" + did, "--for", "1"}, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
        assertEquals(0, code, err.toString());
        String printed = out.toString();
        assertTrue(printed.contains("operator API http://127.0.0.1:"), printed);
        assertTrue(printed.contains("operator:alice admitted"), printed);
        assertTrue(printed.contains("Deployed climate/drought-watch: 1 node, 100 agents, 3 delegators, 1 orchestrator"),
                printed);
        assertTrue(printed.contains("policy rail:drought-watch@"), printed);
    }

    @Test
    void aMalformedOperatorIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(new String[] {"node", "--cassandra", TestSwarm.contactPoint(), "--operator", "bob"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("expected NAME=did:nexus:"), err.toString());
    }
}
