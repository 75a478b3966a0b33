package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.KillTarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.safety.internal.monitor.KillSwitch.Changed;
import org.nexusswarm.safety.internal.monitor.KillSwitch.Engagement;
import org.nexusswarm.safety.internal.monitor.KillSwitch.Replication;

/** The kill switch on one cluster node: engage, covers, subscribers, release, and refused input. */
@ExtendWith(LogCapturingExtension.class)
class KillSwitchTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static ActorTestKit testKit;
    private static KillSwitch killSwitch;

    @BeforeAll
    static void start() {
        testKit = ClusterNodes.firstNode("KillSwitchTest", "");
        killSwitch = KillSwitch.get(testKit.system());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void releaseEverything() throws Exception {
        for (KillTarget t : killSwitch.engaged()) {
            killSwitch.release(t).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Replication await(java.util.concurrent.CompletionStage<Replication> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEngagedTargetIsCoveredAsSoonAsEngageCompletes() throws Exception {
        assertFalse(killSwitch.covers("agent:x", "drought-watch", "climate"));
        assertEquals(Replication.CONFIRMED, await(killSwitch.engage(KillTarget.rail("drought-watch"), "operator:alice",
                "flooding")));
        assertTrue(killSwitch.covers("agent:x", "drought-watch", "climate"));
        assertTrue(killSwitch.covers("agent:y", "drought-watch", null));
        assertFalse(killSwitch.covers("agent:x", "other-rail", "climate"));
        assertEquals(Optional.of(new Engagement(KillTarget.rail("drought-watch"), "operator:alice", "flooding")),
                killSwitch.covering("agent:x", "drought-watch", "climate"));
        assertEquals(Set.of(KillTarget.rail("drought-watch")), killSwitch.engaged());
    }

    @Test
    void subscribersHearTheCurrentSetAtOnceAndEveryChange() throws Exception {
        TestProbe<Changed> supervisor = testKit.createTestProbe();
        killSwitch.subscribe(supervisor.ref());
        supervisor.expectMessage(WAIT, new Changed(Set.of()));
        await(killSwitch.engage(KillTarget.entity("agent:rogue"), "operator:alice", "oscillating valves"));
        supervisor.expectMessage(WAIT, new Changed(Set.of(KillTarget.entity("agent:rogue"))));
        await(killSwitch.engage(KillTarget.pack("climate"), "operator:bob", "bad release"));
        supervisor.expectMessage(WAIT,
                new Changed(Set.of(KillTarget.entity("agent:rogue"), KillTarget.pack("climate"))));
        await(killSwitch.release(KillTarget.entity("agent:rogue")));
        supervisor.expectMessage(WAIT, new Changed(Set.of(KillTarget.pack("climate"))));
        assertFalse(killSwitch.covers("agent:rogue", "r", "other-pack"));
        assertTrue(killSwitch.covers("agent:rogue", "r", "climate"));

        killSwitch.unsubscribe(supervisor.ref());
        TestProbe<Changed> late = testKit.createTestProbe();
        killSwitch.subscribe(late.ref());
        late.expectMessage(WAIT, new Changed(Set.of(KillTarget.pack("climate"))));
        await(killSwitch.release(KillTarget.pack("climate")));
        late.expectMessage(WAIT, new Changed(Set.of()));
        supervisor.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void aStoppedSubscriberIsForgotten() throws Exception {
        TestProbe<Changed> gone = testKit.createTestProbe();
        killSwitch.subscribe(gone.ref());
        gone.expectMessage(WAIT, new Changed(Set.of()));
        gone.stop();
        TestProbe<Changed> other = testKit.createTestProbe();
        killSwitch.subscribe(other.ref());
        other.expectMessage(WAIT, new Changed(Set.of()));
        await(killSwitch.engage(KillTarget.rail("r"), "operator:alice", "test"));
        other.expectMessage(WAIT, new Changed(Set.of(KillTarget.rail("r"))));
    }

    @Test
    void oneTargetEngagedTwiceIsReleasedWhole() throws Exception {
        KillTarget rail = KillTarget.rail("drought-watch");
        await(killSwitch.engage(rail, "operator:alice", "first"));
        await(killSwitch.engage(rail, "operator:bob", "second, with\na newline"));
        List<Engagement> engagements = killSwitch.engagements();
        assertEquals(List.of(new Engagement(rail, "operator:alice", "first"),
                new Engagement(rail, "operator:bob", "second, with a newline")), engagements);
        assertEquals(Set.of(rail), killSwitch.engaged());
        await(killSwitch.release(rail));
        assertFalse(killSwitch.covers("agent:x", "drought-watch", "climate"));
        assertTrue(killSwitch.engagements().isEmpty());
        assertEquals(Replication.CONFIRMED, await(killSwitch.release(KillTarget.rail("never-engaged"))));
    }

    @Test
    void malformedRequestsAreRefusedBeforeAnythingIsWritten() {
        KillTarget t = KillTarget.rail("r");
        assertThrows(IllegalArgumentException.class, () -> killSwitch.engage(null, "operator:alice", "why"));
        for (String operator : new String[] {null, "", " ", "operator:a|b", "operator:\u0007", "o".repeat(201)}) {
            assertThrows(IllegalArgumentException.class, () -> killSwitch.engage(t, operator, "why"), operator);
        }
        for (String reason : new String[] {null, "", "  ", "x".repeat(KillSwitch.MAX_REASON_CHARS + 1)}) {
            assertThrows(IllegalArgumentException.class, () -> killSwitch.engage(t, "operator:alice", reason));
        }
        assertThrows(IllegalArgumentException.class, () -> killSwitch.release(null));
        assertTrue(killSwitch.engaged().isEmpty());
    }

    @Test
    void aSystemWithoutClusterProviderIsRefused() {
        ActorTestKit local = ActorTestKit.create("KillSwitchLocal");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KillSwitch.get(local.system()));
            assertTrue(e.getMessage().contains("pekko.actor.provider = cluster"), e.getMessage());
        } finally {
            local.shutdownTestKit();
        }
    }
}
