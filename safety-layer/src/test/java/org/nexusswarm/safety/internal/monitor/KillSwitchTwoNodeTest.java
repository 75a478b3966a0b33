package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.KillTarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.safety.internal.monitor.KillSwitch.Changed;
import org.nexusswarm.safety.internal.monitor.KillSwitch.Replication;

/**
 * Two cluster nodes in one JVM: an engagement on A reaches B's snapshot and B's subscribers within seconds, a
 * release on B reaches A; with B gone, a write cannot be confirmed and falls back to A alone.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillSwitchTwoNodeTest {

    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(5);
    private ActorTestKit a;
    private ActorTestKit b;

    @BeforeAll
    void start() {
        // A's writes give up waiting for confirmations after 1 s (the setting the switch reads).
        a = ClusterNodes.firstNode("KillSwitchTwoNode", "nexus.swarm.safety.kill-switch.write-timeout = 1s");
        // B leaves no goodbye when it stops, so A keeps waiting for it like for a crashed node.
        b = ClusterNodes.joining(a, "pekko.coordinated-shutdown.run-by-actor-system-terminate = off");
    }

    @AfterAll
    void stop() {
        if (!b.system().getWhenTerminated().toCompletableFuture().isDone()) {
            b.shutdownTestKit();
        }
        a.shutdownTestKit();
    }

    @Test
    @Order(1)
    void anEngagementOnAReachesBAndItsSubscribersWithinSeconds() throws Exception {
        KillSwitch onA = KillSwitch.get(a.system());
        KillSwitch onB = KillSwitch.get(b.system());
        TestProbe<Changed> supervisorOnB = b.createTestProbe();
        onB.subscribe(supervisorOnB.ref());
        supervisorOnB.expectMessage(new Changed(Set.of()));

        long started = System.nanoTime();
        Replication replication = onA.engage(KillTarget.pack("climate"), "operator:alice", "bad release")
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        supervisorOnB.expectMessage(WITHIN_SECONDS, new Changed(Set.of(KillTarget.pack("climate"))));
        assertTrue(onB.covers("agent:x", "drought-watch", "climate"));
        assertEquals("operator:alice", onB.covering("agent:x", "drought-watch", "climate").orElseThrow().operator());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis < WITHIN_SECONDS.toMillis(), "took " + millis + " ms");
        assertEquals(Replication.CONFIRMED, replication, "both nodes were up: WriteAll confirms");
    }

    @Test
    @Order(2)
    void aReleaseOnBReachesA() throws Exception {
        KillSwitch onA = KillSwitch.get(a.system());
        KillSwitch onB = KillSwitch.get(b.system());
        TestProbe<Changed> supervisorOnA = a.createTestProbe();
        onA.subscribe(supervisorOnA.ref());
        supervisorOnA.expectMessage(new Changed(Set.of(KillTarget.pack("climate"))));
        onB.release(KillTarget.pack("climate")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        supervisorOnA.expectMessage(WITHIN_SECONDS, new Changed(Set.of()));
        assertFalse(onA.covers("agent:x", "drought-watch", "climate"));
    }

    @Test
    @Order(3)
    void withANodeGoneAWriteFallsBackToTheLocalReplica() throws Exception {
        Address bAddress = Cluster.get(b.system()).selfMember().address();
        b.shutdownTestKit(); // abruptly: B does not leave the cluster first
        KillSwitch onA = KillSwitch.get(a.system());
        Replication replication = onA.engage(KillTarget.entity("agent:x"), "operator:alice", "B is gone")
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Replication.LOCAL_ONLY, replication);
        assertTrue(onA.covers("agent:x", null, null), "engaged locally all the same");
        // As the split-brain resolver would: down B, so A can leave cleanly when the test ends.
        Cluster.get(a.system()).manager().tell(new Down(bAddress));
        a.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(1, Cluster.get(a.system()).state().members().size());
            return null;
        });
    }
}
