package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.cluster.LocalCluster;

/**
 * {@code swarm cluster up|status|down} with real node JVMs on the integration tests' Cassandra: two nodes form one
 * cluster, status shows both Up from both sides, down stops both processes and forgets the cluster.
 */
class ClusterCommandIntegrationTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dir", dir.toString()));
        int code = SwarmCli.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Run cliNoDir(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void twoNodeJvmsFormOneClusterThatStatusShowsAndDownStops() throws Exception {
        TestSwarm.config("it_cluster_cmd", java.util.Map.of()); // creates the keyspace on the shared Cassandra
        byte[] seed = new java.security.SecureRandom().generateSeed(32);
        var operator = org.nexusswarm.actors.identity.SwarmKeyPair.of(seed);
        Path key = dir.resolve("operator.key");
        Files.writeString(key, java.util.Base64.getEncoder().encodeToString(seed));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Run up = cli("cluster", "up", "--nodes", "2", "--cassandra", TestSwarm.contactPoint(), "--keyspace",
                "it_cluster_cmd", "--operator", "ops=" + operator.did().value());
        LocalCluster.State state = new LocalCluster(dir).state().orElseThrow();
        try {
            assertEquals(0, up.code(), up.out() + up.err());
            assertTrue(up.out().contains("Cluster up: 2 node(s)"), up.out());
            assertEquals(2, state.nodes().size());

            Run again = cli("cluster", "up", "--nodes", "1", "--cassandra", TestSwarm.contactPoint());
            assertEquals(5, again.code(), "a second up over a running cluster: " + again.out() + again.err());

            // Both nodes see both members Up (the second joined through the first).
            Run json = cli("cluster", "status", "--json");
            assertEquals(0, json.code(), json.out() + json.err());
            JsonNode answers = new ObjectMapper().readTree(json.out());
            for (String node : List.of("node-1", "node-2")) {
                JsonNode a = answers.get(node);
                assertEquals("Up", a.get("selfStatus").asText(), a.toString());
                assertEquals(2, a.get("members").size(), a.toString());
                a.get("members").forEach(m -> assertEquals("Up", m.get("status").asText(), a.toString()));
            }
            Run table = cli("cluster", "status");
            assertEquals(0, table.code());
            assertTrue(table.out().contains("node-2") && table.out().contains("reachable"), table.out());

            // node-2 leaves on a signed order: its process ends by itself, cleanly, and node-1 is alone.
            LocalCluster.Node second = state.nodes().get(1);
            Run leave = cliNoDir("node", "leave", "--node", second.api(), "--operator-key", key.toString());
            assertEquals(0, leave.code(), leave.out() + leave.err());
            ProcessHandle p = ProcessHandle.of(second.pid()).orElseThrow();
            p.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(Files.readString(Path.of(second.log())).contains("stopped (it left the cluster)"),
                    second.log());
            var kit = org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create("cluster-cmd-it");
            try {
                kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(60), () -> {
                    JsonNode one = new ObjectMapper().readTree(cli("cluster", "status", "--json").out())
                            .get("node-1");
                    assertEquals(1, one.get("members").size(), "node-1 still sees node-2: " + one);
                    return null;
                });
            } finally {
                kit.shutdownTestKit();
            }
        } finally {
            Run down = cli("cluster", "down");
            assertEquals(0, down.code(), down.out() + down.err());
        }
        for (LocalCluster.Node n : state.nodes()) {
            assertFalse(ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false), n + " still runs");
            assertTrue(Files.readString(Path.of(n.log())).contains("Stopping the node"), n.log());
        }
        assertEquals(4, cli("cluster", "status").code(), "after down no cluster is recorded");
    }
}
