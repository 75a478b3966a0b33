package org.nexusswarm.coordinator.rail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.credential.RailSecretStore;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Rails as cluster state across three cluster members (three ActorSystems, each with its own keystore file, every
 * message through Kryo): node A stores a deployment record in the sharded registry; node B, whose keystore holds the
 * imported secret, hosts the rail from the record alone (same keys, same credentials as A); node C, without the
 * secret, refuses it with {@code NO_SECRET} and registers nothing, and hosts it once the secret is imported.
 */
class RailHostClusterTest {

    private static final RailOptions OPTIONS = new RailOptions(4, 2, 1, 2, 2, 11, "dw-cluster");
    private static final char[] PW = "node keystore password".toCharArray();
    private static final char[] EXPORT = "the export password".toCharArray();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private ActorTestKit a;
    private ActorTestKit b;
    private ActorTestKit c;

    private static Config config() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.actor.serialize-messages = on
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.loglevel = WARNING
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                """).withFallback(PersistenceTestKitPlugin.config());
    }

    @BeforeEach
    void start() {
        a = ActorTestKit.create("RailHostCluster", config());
        Cluster seed = Cluster.get(a.system());
        seed.manager().tell(Join.create(seed.selfMember().address()));
        b = ActorTestKit.create("RailHostCluster", config());
        c = ActorTestKit.create("RailHostCluster", config());
        for (ActorTestKit node : new ActorTestKit[] {b, c}) {
            Cluster.get(node.system()).manager().tell(Join.create(seed.selfMember().address()));
        }
        TestProbe<Object> probe = a.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
            for (ActorTestKit node : new ActorTestKit[] {a, b, c}) {
                assertEquals(MemberStatus.up(), Cluster.get(node.system()).selfMember().status());
            }
            return null;
        });
        for (ActorTestKit node : new ActorTestKit[] {a, b, c}) {
            RailDeploymentRegistry.init(node.system());
        }
    }

    @AfterEach
    void stop() {
        c.shutdownTestKit();
        b.shutdownTestKit();
        a.shutdownTestKit();
    }

    private ActorRef<RailHost.Command> host(ActorTestKit node, RailKeyring keyring) {
        // Pack admission is PackGate's job (tested there); here the blueprint comes straight from the pack.
        RailHost.Blueprints blueprints = r -> Packs.find(r.pack()).rail(r.rail(), r.options());
        return node.spawn(RailHost.create(keyring, blueprints, Duration.ofMillis(300), Duration.ofSeconds(5)));
    }

    private static Map<String, RailHost.Status> status(ActorTestKit node, ActorRef<RailHost.Command> host) {
        TestProbe<RailHost.Hosting> probe = node.createTestProbe();
        host.tell(new RailHost.GetStatus(probe.ref()));
        return probe.receiveMessage(Duration.ofSeconds(5)).byInstance();
    }

    @Test
    void aNodeWithTheSecretHostsTheRailFromTheRecordAndOneWithoutRefuses() {
        RailKeyring keysA = new RailKeyring(tmp.resolve("a.bcfks"), PW);
        RailKeyring keysB = new RailKeyring(tmp.resolve("b.bcfks"), PW);
        RailKeyring keysC = new RailKeyring(tmp.resolve("c.bcfks"), PW);
        RailSecret secret = keysA.loadOrCreate(OPTIONS.instance()).secret();
        RailSecretStore.export(keysA.keystore(), PW, OPTIONS.instance(), tmp.resolve("dw.secret"), EXPORT);
        RailSecretStore.importFrom(tmp.resolve("dw.secret"), EXPORT, keysB.keystore(), PW);

        // Node A deploys: the record goes to the sharded registry (wherever sharding put it), nothing else.
        RailDeployment record = RailDeployer.record("climate", "drought-watch", OPTIONS, OPTIONS.instance(), secret,
                true, System.currentTimeMillis(), 0);
        TestProbe<StatusReply<RailDeployment>> reply = a.createTestProbe();
        RailDeploymentRegistry.ref(a.system()).tell(new RailDeploymentRegistry.Deploy(record, reply.ref()));
        assertEquals(StatusReply.success(record), reply.receiveMessage(WAIT));
        DeployedRail onA = RailDeployer.derive(Packs.find("climate").rail("drought-watch", OPTIONS), secret, record);

        ActorRef<RailHost.Command> hostB = host(b, keysB);
        ActorRef<RailHost.Command> hostC = host(c, keysC);
        SafetyRegistry regB = SafetyRegistry.get(b.system());
        SafetyRegistry regC = SafetyRegistry.get(c.system());
        // A booting node waits for this: the registry read once and every record listed then hosted or refused.
        TestProbe<RailHost.Hosting> synced = b.createTestProbe();
        hostB.tell(new RailHost.AwaitSynced(synced.ref()));
        assertTrue(synced.receiveMessage(WAIT).byInstance().get(OPTIONS.instance()).hosted());
        TestProbe<Object> probe = b.createTestProbe();
        assertEquals(onA.specs().size(), regB.specs().size());
        for (EntitySpec spec : onA.specs()) {
            EntitySpec onB = regB.spec(spec.address()).orElseThrow();
            assertEquals(spec.signer().did(), onB.signer().did());
            assertEquals(spec.credential(), onB.credential());
        }
        assertTrue(regB.trusted().entry(record.issuerDid()).orElseThrow().requirePq());

        probe.awaitAssert(WAIT, () -> {
            RailHost.Status refused = status(c, hostC).get(OPTIONS.instance());
            assertFalse(refused.hosted());
            assertEquals(RailHostingRefused.Reason.NO_SECRET.name(), refused.reason());
            return null;
        });
        assertTrue(regC.specs().isEmpty());
        assertFalse(regC.trustedIssuers().contains(record.issuerDid()));

        // Importing the secret while C runs is enough: the next refresh hosts the rail.
        RailSecretStore.importFrom(tmp.resolve("dw.secret"), EXPORT, keysC.keystore(), PW);
        probe.awaitAssert(WAIT, () -> {
            assertTrue(status(c, hostC).get(OPTIONS.instance()).hosted());
            return null;
        });
        assertEquals(onA.specs().size(), regC.specs().size());
    }

    @Test
    void aTamperedRecordInTheRegistryIsNeverHosted() {
        RailKeyring keysB = new RailKeyring(tmp.resolve("b.bcfks"), PW);
        RailSecret secret = keysB.loadOrCreate("dw-tampered").secret();
        RailOptions options = OPTIONS.withInstance("dw-tampered");
        // Signed by a secret the attacker holds, naming the attacker's issuer: the registry accepts it (it is
        // well-formed and self-consistent), but B's own secret derives another issuer.
        RailSecret attacker = RailSecret.generate();
        RailDeployment forged = RailDeployer.record("climate", "drought-watch", options, "dw-tampered", attacker,
                false, System.currentTimeMillis(), 0);
        TestProbe<StatusReply<RailDeployment>> reply = a.createTestProbe();
        RailDeploymentRegistry.ref(a.system()).tell(new RailDeploymentRegistry.Deploy(forged, reply.ref()));
        assertTrue(reply.receiveMessage(WAIT).isSuccess());

        ActorRef<RailHost.Command> hostB = host(b, keysB);
        TestProbe<Object> probe = b.createTestProbe();
        probe.awaitAssert(WAIT, () -> {
            RailHost.Status status = status(b, hostB).get("dw-tampered");
            assertEquals(RailHostingRefused.Reason.WRONG_ISSUER.name(), status.reason(), String.valueOf(status));
            return null;
        });
        assertTrue(SafetyRegistry.get(b.system()).specs().isEmpty());
        secret.destroy();
    }
}
