package org.nexusswarm.safety.api.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two cluster nodes in one JVM (B joins A): a revocation on either node reaches the other within seconds, and a
 * node that joins later receives the revocations made before it arrived. No Cassandra needed, so it runs with the
 * unit tests.
 */
@ExtendWith(LogCapturingExtension.class)
class RevocationListClusterTest {

    private static final Duration GOSSIP = Duration.ofSeconds(10);
    private static final String SYSTEM = "RevocationListClusterTest";

    private static ActorTestKit a;
    private static ActorTestKit b;

    @BeforeAll
    static void start() throws Exception {
        a = ActorTestKit.create(SYSTEM, RevocationListTest.clusterConfig());
        RevocationListTest.join(a, a);
        // Made before B exists: B must receive it when it joins.
        RevocationList.get(a.system()).revoke("before-b-joined", "early").toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        b = ActorTestKit.create(SYSTEM, RevocationListTest.clusterConfig());
        RevocationListTest.join(b, a);
        a.createTestProbe().awaitAssert(GOSSIP, () -> {
            assertEquals(2, StreamSupport.stream(Cluster.get(a.system()).state().getMembers().spliterator(), false)
                    .filter(m -> m.status() == MemberStatus.up()).count());
            return null;
        });
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.shutdownTestKit();
        }
        a.shutdownTestKit();
    }

    @Test
    void aRevocationOnANodeIsSeenOnTheOther() throws Exception {
        RevocationList onA = RevocationList.get(a.system());
        RevocationList onB = RevocationList.get(b.system());

        onA.revoke("from-a", "compromised agent key").toCompletableFuture().get(5, TimeUnit.SECONDS);
        TestProbe<Object> probe = b.createTestProbe();
        probe.awaitAssert(GOSSIP, () -> {
            assertTrue(onB.isRevoked("from-a"), "B has " + onB.revoked());
            return null;
        });

        onB.revoke("from-b", "operator request").toCompletableFuture().get(5, TimeUnit.SECONDS);
        a.createTestProbe().awaitAssert(GOSSIP, () -> {
            assertTrue(onA.isRevoked("from-b"), "A has " + onA.revoked());
            return null;
        });
    }

    @Test
    void aNodeThatJoinsLaterSeesEarlierRevocations() {
        RevocationList onB = RevocationList.get(b.system());
        b.createTestProbe().awaitAssert(GOSSIP, () -> {
            assertTrue(onB.isRevoked("before-b-joined"), "B has " + onB.revoked());
            return null;
        });
    }
}
