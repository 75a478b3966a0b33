package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.coordinator.http.OperatorApi;
import org.nexusswarm.coordinator.http.RailRoutes;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.coordinator.rail.RailDeploymentRegistry;
import org.nexusswarm.coordinator.rail.RailDeployments;
import org.nexusswarm.coordinator.rail.RailHost;
import org.nexusswarm.coordinator.rail.RailKeyring;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.policy.Policies;
import org.nexusswarm.safety.api.registry.NodeKeyStore;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * {@code swarm rail deploy|list|show|undeploy} against a one-node cluster's operator API (in-memory journal, real
 * pack admission and policy installation, keystore in a temp dir): the round trip, a second deploy of the instance
 * (409), an operator the node does not admit (403), a record for another instance, and an unknown instance (404).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RailCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private ActorTestKit testKit;
    private OperatorApi api;
    private Path operatorKey;
    private Path strangerKey;
    private RailKeyring keyring;

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("rail-command-test");
        testKit = ActorTestKit.create("RailCommandTest", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.actor.provider = cluster
                pekko.actor.serialize-messages = on
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                nexus.swarm.safety.operator-commands.audience = "nexus-swarm"
                nexus.swarm.packs.rail-defaults { agents = 3, delegators = 2, rogue-agents = 0, replicas = 2, quorum = 1 }
                """).withFallback(ConfigFactory.parseMap(java.util.Map.of(
                        "nexus.swarm.memory.node-keystore-file", dir.resolve("node.bcfks").toString(),
                        "nexus.swarm.packs.admission.manifest-dir", dir.resolve("packs").toString(),
                        "nexus.swarm.packs.admission.trusted-publishers-file", dir.resolve("publishers").toString())))
                .withFallback(PersistenceTestKitPlugin.config()).withFallback(PersistenceTestKitSnapshotPlugin.config()));
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        operatorKey = keyFile("ops.key", true);
        strangerKey = keyFile("stranger.key", false);
        SwarmKeyPair bootstrap = org.nexusswarm.actors.identity.Ed25519.generate();
        SafetyRegistry.get(testKit.system()).identities().admit(bootstrap.did(), "operator:bootstrap");
        Policies.startStores(testKit.system());
        RailDeploymentRegistry.init(testKit.system());
        keyring = new RailKeyring(dir.resolve("node.bcfks"), NodeKeyStore.passwordFromEnvironment());
        var config = testKit.system().settings().config();
        ActorRef<RailHost.Command> host = testKit.spawn(RailHost.create(keyring, RailDeployments.blueprints(config),
                Duration.ofSeconds(1), Duration.ofSeconds(10)));
        RailDeployments rails = new RailDeployments(testKit.system(), keyring, bootstrap, Duration.ofSeconds(20), host);
        api = OperatorApi.start(testKit.system(), "127.0.0.1", 0,
                List.of(new RailRoutes(testKit.system(), rails, host, Duration.ofSeconds(20))))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private Path keyFile(String name, boolean admitted) throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        if (admitted) {
            SafetyRegistry.get(testKit.system()).identities().admit(SwarmKeyPair.of(raw).did(), "operator:alice");
        }
        Path file = Files.writeString(Files.createTempDirectory("rail-keys").resolve(name),
                Base64.getEncoder().encodeToString(raw));
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return file;
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void deployListShowAndUndeployThroughTheOperatorApi() throws Exception {
        String node = api.url();
        Run deploy = run("rail", "deploy", "climate/drought-watch", "--instance", "dw-cli", "--node", node,
                "--operator-key", operatorKey.toString(), "--audience", "nexus-swarm");
        assertEquals(0, deploy.code(), deploy.err());
        assertTrue(deploy.out().contains("as instance dw-cli (7 entities"), deploy.out());

        Run again = run("rail", "deploy", "climate/drought-watch", "--instance", "dw-cli", "--node", node,
                "--operator-key", operatorKey.toString(), "--audience", "nexus-swarm");
        assertEquals(ExitCodes.REFUSED, again.code(), again.out());
        assertTrue(again.err().contains("HTTP 409") && again.err().contains("already deployed"), again.err());

        Run stranger = run("rail", "deploy", "climate/drought-watch", "--instance", "dw-other", "--node", node,
                "--operator-key", strangerKey.toString(), "--audience", "nexus-swarm");
        assertEquals(ExitCodes.REFUSED, stranger.code());
        assertTrue(stranger.err().contains("HTTP 403") && stranger.err().contains("UNKNOWN_OPERATOR"), stranger.err());

        Run list = run("rail", "list", "--node", node);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("dw-cli") && list.out().contains("climate/drought-watch")
                && list.out().contains("hosted"), list.out());
        Run show = run("rail", "show", "dw-cli", "--node", node);
        JsonNode record = JSON.readTree(show.out());
        assertEquals(3, record.path("agents").asInt());
        assertEquals(keyring.require("dw-cli").issuerKeys("dw-cli", false).did().value(), record.path("issuer").asText());
        assertTrue(record.path("policyVersion").asLong() >= 1, show.out());
        assertTrue(record.path("hostedHere").asBoolean());
        assertEquals(7, SafetyRegistry.get(testKit.system()).specs().stream()
                .filter(s -> s.address().id().startsWith("dw-cli.")).count());

        Run strangerUndeploy = run("rail", "undeploy", "dw-cli", "--node", node, "--operator-key",
                strangerKey.toString(), "--audience", "nexus-swarm");
        assertEquals(ExitCodes.REFUSED, strangerUndeploy.code());
        Run undeploy = run("rail", "undeploy", "dw-cli", "--node", node, "--operator-key", operatorKey.toString(),
                "--audience", "nexus-swarm");
        assertEquals(0, undeploy.code(), undeploy.err());
        Run gone = run("rail", "show", "dw-cli", "--node", node);
        assertEquals(ExitCodes.NOT_FOUND, gone.code(), gone.out());
        Run unknown = run("rail", "undeploy", "dw-cli", "--node", node, "--operator-key", operatorKey.toString(),
                "--audience", "nexus-swarm");
        assertEquals(ExitCodes.NOT_FOUND, unknown.code(), unknown.err());
    }

    @Test
    void anInMemoryDeploymentCannotBeSharedAndBadPathsAreUsageErrors() {
        RailSecret secret = RailSecret.generate();
        var inMemory = RailDeployer.record("climate", "drought-watch", null, "mem", secret, false, 1, 0);
        assertTrue(!inMemory.rebuildable());
        Run bad = run("rail", "deploy", "drought-watch", "--node", api.url(), "--operator-key",
                operatorKey.toString());
        assertEquals(ExitCodes.USAGE, bad.code());
        Run badNode = run("rail", "list", "--node", "ftp://x");
        assertEquals(ExitCodes.USAGE, badNode.code());
    }
}
