package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.RailKeyring;
import org.nexusswarm.coordinator.rail.SignalFeed;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.Signal;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.registry.NodeKeyStore;

/**
 * Rails as cluster state on the real Cassandra, two nodes with their own keystore files: {@code swarm rail deploy}
 * on node A stores the record in the journaled registry; node B (joined, no secret yet) refuses the rail with
 * {@code NO_SECRET}; after {@code swarm rail secret export} from A's keystore and {@code import} into B's, B hosts
 * the rail from the record alone; A leaves, and B serves an entity of the rail (a signed reading is accepted).
 */
class RailClusterStateIntegrationTest {

    private static final String KEYSPACE = "it_rail_state";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aSecondNodeHostsTheRailFromTheRegistryWithTheImportedSecret() throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        SwarmKeyPair operator = SwarmKeyPair.of(raw);
        Path operatorKey = Files.writeString(tmp.resolve("ops.key"), Base64.getEncoder().encodeToString(raw));
        Path keystoreA = tmp.resolve("a.bcfks");
        Path keystoreB = tmp.resolve("b.bcfks");
        String instance = "it-rail-" + System.currentTimeMillis();

        SwarmNode a = SwarmNode.start(TestSwarm.config(KEYSPACE,
                Map.of("nexus.swarm.memory.node-keystore-file", keystoreA.toString())), WAIT);
        SwarmNode b = null;
        try {
            a.registry().identities().admit(operator.did(), "operator:it");
            Run deploy = cli("rail", "deploy", "climate/drought-watch", "--instance", instance, "--node",
                    a.operatorApiUrl(), "--operator-key", operatorKey.toString(), "--audience", TestSwarm.AUDIENCE);
            assertEquals(0, deploy.code(), deploy.err());
            assertTrue(deploy.out().contains("as instance " + instance), deploy.out());

            b = SwarmNode.start(TestSwarm.config(KEYSPACE, Map.of("nexus.swarm.memory.node-keystore-file",
                    keystoreB.toString(), "pekko.cluster.seed-nodes", List.of(a.system().address().toString()))), WAIT);
            awaitMembers(b, 2);
            SwarmNode nodeB = b;
            // Without the secret, B reads the record and refuses it (and registers nothing).
            await(nodeB, () -> assertEquals("NO_SECRET", rail(nodeB, instance).path("refusal").asText()));
            assertTrue(b.registry().specs().isEmpty());

            Path export = tmp.resolve(instance + ".rail-secret");
            Path exportPassword = Files.writeString(tmp.resolve("export-pw"), "an export password for the IT\n");
            assertEquals(0, cli("rail", "secret", "export", "--keystore", keystoreA.toString(), "--instance", instance,
                    "--out", export.toString(), "--export-password-file", exportPassword.toString()).code());
            assertEquals(0, cli("rail", "secret", "import", "--keystore", keystoreB.toString(), "--in",
                    export.toString(), "--export-password-file", exportPassword.toString()).code());
            await(nodeB, () -> assertTrue(rail(nodeB, instance).path("hostedHere").asBoolean()));

            Run list = cli("rail", "list", "--node", b.operatorApiUrl());
            assertTrue(list.out().contains(instance) && list.out().contains("hosted"), list.out());

            // A leaves: its shards move to B, which serves the rail's entities with the keys it derived itself.
            Cluster.get(a.system()).manager().tell(Leave.create(Cluster.get(a.system()).selfMember().address()));
            awaitMembers(b, 1);
            a.close();

            JsonNode shown = rail(b, instance);
            RailBlueprint blueprint = Packs.find("climate").rail("drought-watch",
                    new org.nexusswarm.packs.RailOptions(shown.path("agents").asInt(), shown.path("delegators").asInt(),
                            shown.path("rogueAgents").asInt(), shown.path("replicas").asInt(),
                            shown.path("quorum").asInt(), shown.path("seed").asLong(), instance));
            RailSecret secret = new RailKeyring(keystoreB, NodeKeyStore.passwordFromEnvironment()).require(instance);
            SignalFeed feed = new SignalFeed("feed:" + blueprint.name() + ".sensors", secret.feedKey(instance));
            Signal reading = blueprint.signals().round(1).get(0);
            EntityAddress target = reading.target();
            DeliveryReply reply = b.<DeliveryReply>ask(target, r -> new Deliver(feed.envelope(target,
                    reading.payload()), r)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertInstanceOf(DeliveryReply.Accepted.class, reply, String.valueOf(reply));
            assertEquals(shown.path("issuer").asText(), b.registry().spec(target).orElseThrow().credential().issuerDid());
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode rail(SwarmNode node, String instance) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.operatorApiUrl() + "/rails/" + instance)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void await(SwarmNode node, Check check) {
        TestProbe.create(node.system()).awaitAssert(WAIT, () -> {
            try {
                check.run();
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return null;
        });
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
}
