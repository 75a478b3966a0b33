package org.nexusswarm.safety.api.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/** The revocation list on a one-node cluster (joined to itself), and its local-only mode without a cluster. */
@ExtendWith(LogCapturingExtension.class)
class RevocationListTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ActorTestKit testKit;

    /** A cluster member on a free loopback port, with fast Distributed Data gossip for tests. */
    static Config clusterConfig() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.transport = tcp
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.cluster.distributed-data.gossip-interval = 200ms
                pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
                pekko.coordinated-shutdown.terminate-actor-system = on
                """).withFallback(ConfigFactory.load("application-test"));
    }

    /** Joins {@code kit}'s node to {@code seed}'s and waits until it is Up. */
    static void join(ActorTestKit kit, ActorTestKit seed) {
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(Cluster.get(seed.system()).selfMember().address()));
        kit.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
    }

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("RevocationListTest", clusterConfig());
        join(testKit, testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aRevocationIsVisibleOnThisNodeWhenItCompletes() throws Exception {
        RevocationList list = RevocationList.get(testKit.system());
        assertTrue(list.replicated());
        assertFalse(list.isRevoked("cred-1"));
        assertFalse(list.isRevoked(null));

        Done done = list.revoke("cred-1", "key compromised").toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(Done.getInstance(), done);
        assertTrue(list.isRevoked("cred-1"));
        assertFalse(list.isRevoked("cred-2"));
        assertTrue(list.revoked().contains("cred-1"));
        assertThrows(UnsupportedOperationException.class, () -> list.revoked().add("x"));
        // Revoking twice is harmless; the list only grows.
        list.revoke("cred-1", "again").toCompletableFuture().get(5, TimeUnit.SECONDS);
        list.revoke("cred-3", "").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(list.revoked().containsAll(List.of("cred-1", "cred-3")));
        assertTrue(RevocationList.get(testKit.system()) == list, "one extension per system");
    }

    @Test
    void badIdsAreRefused() {
        RevocationList list = RevocationList.get(testKit.system());
        for (String bad : new String[] {null, "", "   ", "a\nb", "x".repeat(RevocationList.MAX_ID_CHARS + 1)}) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> list.revoke(bad, "r").toCompletableFuture().get(5, TimeUnit.SECONDS), String.valueOf(bad));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("printable characters"), e.getCause().getMessage());
        }
        assertFalse(list.revoked().contains(""));
    }

    @Test
    void withoutAClusterTheListIsLocalButWorks() throws Exception {
        ActorTestKit local = ActorTestKit.create("RevocationListLocal", ConfigFactory.load("application-test"));
        try {
            RevocationList list = RevocationList.get(local.system());
            assertFalse(list.replicated());
            list.revoke("local-1", "test").toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(list.isRevoked("local-1"));
            assertThrows(ExecutionException.class,
                    () -> list.revoke("", "r").toCompletableFuture().get(5, TimeUnit.SECONDS));
        } finally {
            local.shutdownTestKit();
        }
    }

    @Test
    void theRegistryKeepsPostQuantumTrustBesideTheFoundationsSet() {
        SafetyRegistry registry = SafetyRegistry.get(testKit.system());
        IssuerKeys pq = IssuerKeys.generate(true);
        IssuerKeys classic = IssuerKeys.generate(false);
        registry.trustIssuer(classic.did());
        registry.trustIssuer(pq.did(), pq.mlDsaPublicKey().orElseThrow(), true);
        registry.trustIssuer(pq.did());

        assertTrue(registry.trustedIssuers().containsAll(List.of(classic.did().value(), pq.did().value())));
        TrustedIssuers trusted = registry.trusted();
        assertTrue(trusted.entry(pq.did().value()).orElseThrow().requirePq(), "trustIssuer(did) does not downgrade");
        assertFalse(trusted.entry(classic.did().value()).orElseThrow().requirePq());
        assertThrows(IllegalArgumentException.class, () -> registry.trustIssuer(Ed25519.generate().did(), null, true));
        assertThrows(IllegalArgumentException.class,
                () -> registry.trustIssuer(Ed25519.generate().did(), classic.did().publicKey(), false));
    }
}
