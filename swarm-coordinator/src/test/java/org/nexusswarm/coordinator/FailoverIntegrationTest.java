package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.cluster.LocalCluster;

/**
 * Fault test with separate JVMs on the real Cassandra: a 3-node cluster started by {@code swarm cluster up --rail
 * climate/drought-watch} (the rail deployed once, its secret on every node); 24 agents woken and spread over the
 * nodes; one node that hosts some of them is killed with SIGKILL; every one of them answers again, from its
 * journal, through a survivor. Prints the failover time (the target: 10 s).
 */
class FailoverIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int AGENTS = 24;

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

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String agent(int i) {
        return String.format("agent:drought-watch.agent-%03d", i);
    }

    @Test
    void afterKillDashNineTheKilledNodesAgentsServeAgainOnTheSurvivors() throws Exception {
        TestSwarm.config("it_failover", Map.of());
        Run up = cli("cluster", "up", "--nodes", "3", "--rail", "climate/drought-watch", "--cassandra",
                TestSwarm.contactPoint(), "--keyspace", "it_failover", "--manifest-dir", TestSwarm.manifestDir(),
                "--trusted-publishers-file", TestSwarm.trustedPublishersFile());
        LocalCluster.State state = new LocalCluster(dir).state().orElseThrow();
        ActorTestKit kit = ActorTestKit.create("failover-it");
        try {
            assertEquals(0, up.code(), up.out() + up.err());
            assertEquals(3, state.nodes().size());
            // Every node hosts the rail (the others from the copied secret, on their next registry read).
            for (LocalCluster.Node n : state.nodes()) {
                kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), () -> {
                    JsonNode rails = get(n.api() + "/rails").get("rails");
                    assertTrue(rails.size() == 1 && rails.get(0).get("hostedHere").asBoolean(), n.name() + ": " + rails);
                    return null;
                });
            }
            String front = state.nodes().get(0).api();
            for (int i = 0; i < AGENTS; i++) {
                JsonNode s = get(front + "/entities/" + agent(i));
                assertTrue(s.get("deployed").asBoolean(), s.toString());
            }
            // The victim: the non-seed node hosting the most agents.
            LocalCluster.Node victim = null;
            int most = -1;
            for (LocalCluster.Node n : state.nodes().subList(1, 3)) {
                int here = get(n.api() + "/cluster").get("hosted").get("agent").path("entities").asInt();
                if (here > most) {
                    most = here;
                    victim = n;
                }
            }
            assertTrue(most > 0, "no agent landed on a non-seed node");
            ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(90), () -> {
                for (int i = 0; i < AGENTS; i++) {
                    JsonNode s = get(front + "/entities/" + agent(i));
                    assertTrue(s.get("deployed").asBoolean() && !s.get("quarantined").asBoolean(), s.toString());
                }
                return null;
            });
            double failover = (System.nanoTime() - killed) / 1e9;
            System.out.printf("failover: %d agents of the killed node serve again after %.1f s%n", most, failover);
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
                JsonNode members = get(front + "/cluster").get("members");
                assertEquals(2, members.size(), "the killed node was downed and removed: " + members);
                return null;
            });
        } finally {
            kit.shutdownTestKit();
            cli("cluster", "down");
        }
    }
}
