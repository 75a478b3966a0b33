package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;

/**
 * Red team of THROTTLE: the rung slows an entity through a token bucket (10 per second, burst 2, queue 3 here)
 * instead of refusing everything. A slow agent passes untouched, a fast one is delayed, then bounded: what waits is
 * released by timers as the injected clock refills the bucket, and only a full queue refuses, typed and journaled.
 * The bucket is journaled facts, so a restart rebuilds the same state.
 */
@ExtendWith(LogCapturingExtension.class)
class ThrottleBucketTest {

    private static final String COMPUTE = "compute.request";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-9");
    /** Three intents in a minute put the entity on the THROTTLE rung. */
    private static final String THROTTLE_AT_3 = "rules { anything { action = \"*\" } }\n"
            + "monitors { actions-per-minute { throttle = 3 } }";

    private static SupervisorHarness h;
    private TestClock clock;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("ThrottleBucketTest", "nexus.swarm.safety.max-denials = 50\n"
                + "nexus.swarm.safety.throttle { per-second = 10, burst = 2, queue = 3 }");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        clock = TestClock.frozenNow();
        h.fixture.registry.useClock(clock);
        h.fixture.usePolicies(SafetyFixture.policy(60, THROTTLE_AT_3));
    }

    private Running throttled() {
        Running r = h.run(List.of(COMPUTE));
        for (int i = 1; i <= 3; i++) {
            assertTrue(h.act(r, "warm-" + i, COMPUTE, TARGET).allowed());
            h.router.receiveMessage();
        }
        assertEquals(EscalationLevel.THROTTLE, r.kit().getState().memory().escalation());
        return r;
    }

    /** Delivers acts without waiting for the logic, then reads what the logic is fed: inbounds and outcomes. */
    private static List<AgentInput.Outcome> burst(Running r, int outcomes, String... intentIds) {
        for (String id : intentIds) {
            var reply = h.deliver(r, h.fixture.fromOperator(r.address(), new Act(id, COMPUTE, TARGET, "x")));
            assertInstanceOf(DeliveryReply.Accepted.class, reply.reply());
        }
        return read(r, intentIds.length, outcomes);
    }

    private static List<AgentInput.Outcome> read(Running r, int inbounds, int outcomes) {
        List<AgentInput.Outcome> out = new ArrayList<>();
        int seen = 0;
        while (seen < inbounds || out.size() < outcomes) {
            AgentInput in = r.entity().inputs().receiveMessage(Duration.ofSeconds(5));
            if (in instanceof AgentInput.Outcome o) {
                out.add(o);
            } else {
                seen++;
            }
        }
        return out;
    }

    @Test
    void aSlowAgentPassesUntouched() {
        Running r = throttled();
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofMillis(200)); // 5 per second, under the bucket's 10
            assertTrue(h.act(r, "slow-" + i, COMPUTE, TARGET).allowed(), "slow-" + i);
            h.router.receiveMessage();
        }
        assertEquals(EscalationLevel.THROTTLE, r.kit().getState().memory().escalation(), "it is throttled all along");
        assertEquals(11, h.eventsOf(r, ActionAllowed.class).size());
        assertEquals(0, h.eventsOf(r, ActionDenied.class).size());
    }

    @Test
    void aFastAgentIsDelayedThenBoundedAndTheFullQueueRefusesTypedAndJournaled() {
        Running r = throttled();
        // Seven intents at one instant: two tokens, three places to wait, two refused.
        List<AgentInput.Outcome> first = burst(r, 4, "f4", "f5", "f6", "f7", "f8", "f9", "f10");
        assertEquals(List.of("f4", "f5", "f9", "f10"), first.stream().map(AgentInput.Outcome::intentId).toList());
        assertEquals(List.of(true, true, false, false), first.stream().map(AgentInput.Outcome::allowed).toList());
        assertTrue(first.get(2).reason().startsWith("THROTTLED: the throttle queue is full"), first.get(2).reason());
        h.router.receiveSeveralMessages(2);
        r.entity().inputs().expectNoMessage(Duration.ofMillis(300));
        h.router.expectNoMessage(Duration.ofMillis(50));

        List<ActionDenied> refused = h.eventsOf(r, ActionDenied.class);
        assertEquals(List.of("f9", "f10"), refused.stream().map(ActionDenied::intentId).toList());
        assertTrue(refused.stream().allMatch(d -> d.code() == RefusalCode.THROTTLED));
        List<String> proposed = h.eventsOf(r, ActionProposed.class).stream().map(ActionProposed::intentId).toList();
        assertEquals(List.of("warm-1", "warm-2", "warm-3", "f4", "f5", "f9", "f10"), proposed,
                "held intents are proposed when they are decided (held: IntentHeld); refused ones at once");
        assertEquals(List.of("f6", "f7", "f8"), h.eventsOf(r, SafetyEvent.IntentHeld.class).stream()
                .map(SafetyEvent.IntentHeld::intentId).toList(), "what waits is journaled before it waits");

        // 100 ms refill one token: the oldest waiting intent is released by the timer.
        clock.advance(Duration.ofMillis(100));
        assertEquals(List.of("f6"), read(r, 0, 1).stream().map(AgentInput.Outcome::intentId).toList());
        h.router.receiveMessage(Duration.ofSeconds(3));
        // A second later the bucket is full again (burst 2): the other two, in order.
        clock.advance(Duration.ofSeconds(1));
        List<AgentInput.Outcome> rest = read(r, 0, 2);
        assertEquals(List.of("f7", "f8"), rest.stream().map(AgentInput.Outcome::intentId).toList());
        assertTrue(rest.stream().allMatch(AgentInput.Outcome::allowed));
        h.router.receiveSeveralMessages(2, Duration.ofSeconds(3));

        assertEquals(3 + 2 + 3, h.eventsOf(r, ActionAllowed.class).size(), "delivered");
        assertEquals(2, h.eventsOf(r, ActionDenied.class).size(), "refused");

        // The bucket and every statistic are rebuilt from the journal alone.
        SupervisorState before = r.kit().getState();
        r.kit().restart();
        assertEquals(before.memory(), r.kit().getState().memory());
    }

    @Test
    void intentsStillHeldWhenTheEntityIsKilledAreRefusedAndJournaledNeverSent() {
        Running r = throttled();
        burst(r, 2, "k4", "k5", "k6", "k7");
        h.router.receiveSeveralMessages(2);
        var status = r.kit().<org.nexusswarm.actors.protocol.EntityStatus>runCommand(replyTo ->
                h.fixture.kill(r.address(), "inspection", replyTo));
        assertTrue(status.reply().quarantined());
        r.entity().starts().expectTerminated(r.logic(), Duration.ofSeconds(3));

        // The timer would have released k6 and k7 by now had they survived the kill.
        clock.advance(Duration.ofSeconds(5));
        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
            List<ActionDenied> refused = h.eventsOf(r, ActionDenied.class);
            // Both refused, in either order: one may still be on its way from the logic when the kill lands (then it
            // is refused as it arrives, after the held one).
            assertEquals(List.of("k6", "k7"), refused.stream().map(ActionDenied::intentId).sorted().toList());
            assertTrue(refused.stream().allMatch(d -> d.code() == RefusalCode.QUARANTINED));
            return null;
        });
        List<SafetyEvent> journal = h.journal(r);
        int killedAt = journal.indexOf(h.last(r, SafetyEvent.Killed.class));
        assertTrue(journal.subList(killedAt, journal.size()).stream().noneMatch(ActionAllowed.class::isInstance));
        h.router.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void aQueueFullRefusalGivesItsTokenBack() {
        Running r = throttled();
        burst(r, 4, "g4", "g5", "g6", "g7", "g8", "g9", "g10");
        // Two takes (g4, g5) remain; the refused g9 and g10 took nothing.
        assertEquals(2, r.kit().getState().memory().stats().throttle().taken().size());
        // Stopped, so its held intents cannot be released into the next test's router.
        r.kit().<org.nexusswarm.actors.protocol.EntityStatus>runCommand(replyTo ->
                h.fixture.kill(r.address(), "end of test", replyTo));
    }
}
