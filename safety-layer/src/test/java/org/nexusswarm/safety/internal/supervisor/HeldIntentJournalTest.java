package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.IntentHeld;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;

/**
 * Intents the throttle holds are journaled ({@code IntentHeld}) before they wait, and are state: a crash or
 * passivation (here: a restart of the supervisor) neither loses them unrecorded nor sends one twice. After recovery
 * they wait on for tokens and go out once each; one released before the crash is not sent again; one that cannot be
 * decided as it was proposed (another logic version runs now) is dropped, typed {@code THROTTLED_LOST}; one still
 * held when a kill's write was the last before a crash is refused on recovery, never sent.
 */
@ExtendWith(LogCapturingExtension.class)
class HeldIntentJournalTest {

    private static final String COMPUTE = "compute.request";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-9");
    private static final String THROTTLE_AT_3 = "rules { anything { action = \"*\" } }\n"
            + "monitors { actions-per-minute { throttle = 3 } }";

    private static SupervisorHarness h;
    private TestClock clock;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("HeldIntentJournalTest", "nexus.swarm.safety.max-denials = 50\n"
                + "nexus.swarm.safety.snapshot-every = 5\n"
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

    /** An entity on the THROTTLE rung whose bucket is full (burst 2). */
    private Running throttled() {
        Running r = h.run(List.of(COMPUTE));
        for (int i = 1; i <= 3; i++) {
            assertTrue(h.act(r, "warm-" + i, COMPUTE, TARGET).allowed());
            h.router.receiveMessage();
        }
        assertEquals(EscalationLevel.THROTTLE, r.kit().getState().memory().escalation());
        return r;
    }

    /** Delivers acts at one instant; waits until the logic had them all and reports the first {@code outcomes}. */
    private static List<AgentInput.Outcome> burst(Running r, int outcomes, String... intentIds) {
        for (String id : intentIds) {
            var reply = h.deliver(r, h.fixture.fromOperator(r.address(), new Act(id, COMPUTE, TARGET, id)));
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

    /** Waits until {@code n} intents are held (the logic's last intents reach the supervisor after its inputs). */
    private static void awaitHeld(Running r, int n) {
        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
            assertEquals(n, r.kit().getState().memory().held().size());
            return null;
        });
    }

    /** The texts of the notes the router was handed (each names its intent). */
    private static List<String> sent(int n) {
        return h.router.receiveSeveralMessages(n, Duration.ofSeconds(5)).stream()
                .map(d -> ((TestPayloads.Note) SafetyFixture.message(d.envelope())).text()).toList();
    }

    private static List<String> ids(List<? extends SafetyEvent> events) {
        return events.stream().map(e -> e instanceof ActionAllowed a ? a.intentId()
                : e instanceof ActionDenied d ? d.intentId() : ((IntentHeld) e).intentId()).toList();
    }

    private static void restart(Running r) {
        r.kit().restart();
        if (r.kit().getState() instanceof SupervisorState.Active) {
            r.entity().starts().expectMessageClass(TestPayloads.LogicStarted.class);
        }
    }

    @Test
    void threeHeldIntentsSurviveARestartAndEachIsSentOnce() {
        Running r = throttled();
        burst(r, 2, "f4", "f5", "f6", "f7", "f8");
        assertEquals(List.of("f4", "f5"), sent(2));
        awaitHeld(r, 3);
        assertEquals(List.of("f6", "f7", "f8"), ids(h.eventsOf(r, IntentHeld.class)), "journaled before they wait");

        // The supervisor crashes (or is passivated) with three intents held.
        restart(r);
        assertEquals(3, r.kit().getState().memory().held().size(), "held intents are recovered from the journal");

        clock.advance(Duration.ofSeconds(1)); // the bucket is full again: two go out, the third waits
        assertEquals(List.of("f6", "f7"), sent(2));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("f8"), sent(1));
        h.router.expectNoMessage(Duration.ofMillis(300));
        // The new incarnation of the logic hears how they were decided.
        assertEquals(List.of("f6", "f7", "f8"), read(r, 0, 3).stream().map(AgentInput.Outcome::intentId).toList());

        List<ActionAllowed> allowed = h.eventsOf(r, ActionAllowed.class);
        assertEquals(List.of("warm-1", "warm-2", "warm-3", "f4", "f5", "f6", "f7", "f8"), ids(allowed),
                "each decided once");
        ActionProposed f6 = h.eventsOf(r, ActionProposed.class).stream().filter(p -> p.intentId().equals("f6"))
                .findFirst().orElseThrow();
        IntentHeld heldF6 = h.eventsOf(r, IntentHeld.class).get(0);
        assertEquals(List.of(r.entity().persistenceId() + "#" + heldF6.chronotope().sequence()),
                f6.chronotope().causes(), "a released intent's proposal names its hold as its cause");
        assertEquals(List.of(), r.kit().getState().memory().held());

        // Another crash: nothing is held any more, so nothing is sent again.
        restart(r);
        clock.advance(Duration.ofSeconds(5));
        h.router.expectNoMessage(Duration.ofMillis(500));
        assertEquals(8, h.eventsOf(r, ActionAllowed.class).size());
    }

    @Test
    void aHeldIntentReleasedBeforeTheCrashIsNotSentAgain() {
        Running r = throttled();
        burst(r, 2, "g4", "g5", "g6");
        assertEquals(List.of("g4", "g5"), sent(2));
        awaitHeld(r, 1);
        clock.advance(Duration.ofMillis(100));
        assertEquals(List.of("g6"), sent(1));
        read(r, 0, 1);

        restart(r);
        clock.advance(Duration.ofSeconds(5));
        h.router.expectNoMessage(Duration.ofMillis(500));
        assertEquals(List.of("g6"), ids(h.eventsOf(r, IntentHeld.class)));
        assertEquals(1, h.eventsOf(r, ActionAllowed.class).stream().filter(a -> a.intentId().equals("g6")).count());
    }

    @Test
    void heldIntentsOfALogicVersionNoLongerRunningAreDroppedTypedAndNeverSent() {
        Running r = throttled();
        burst(r, 2, "h4", "h5", "h6", "h7");
        assertEquals(List.of("h4", "h5"), sent(2));
        awaitHeld(r, 2);

        // The entity comes back with another version of its logic: what the old one proposed is not sent for it.
        SafetyFixture.Deployed e = r.entity();
        @SuppressWarnings("unchecked")
        AgentLogic<AgentContext> probe = (AgentLogic<AgentContext>) ProbeLogic.of(e.inputs().ref(), e.starts().ref(),
                null, e.credential().allowedActions());
        h.fixture.registry.deploy(new EntitySpec(e.address(), SafetyFixture.PLACE, e.keys(), e.credential(),
                new Versioned(probe, "probe-logic-2")));
        restart(r);
        clock.advance(Duration.ofSeconds(1));

        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
            List<ActionDenied> dropped = h.eventsOf(r, ActionDenied.class);
            assertEquals(List.of("h6", "h7"), ids(dropped));
            assertTrue(dropped.stream().allMatch(d -> d.code() == RefusalCode.THROTTLED_LOST), dropped.toString());
            assertTrue(dropped.get(0).detail().contains("probe-logic-1"), dropped.get(0).detail());
            return null;
        });
        h.router.expectNoMessage(Duration.ofMillis(300));
        assertEquals(List.of(), r.kit().getState().memory().held());
        assertInstanceOf(SupervisorState.Active.class, r.kit().getState(), "a drop is not the logic's denial");
        assertEquals(0, r.kit().getState().denials());
    }

    @Test
    void intentsHeldWhenACrashFollowedTheKillAreRefusedOnRecoveryNeverSent() {
        Running r = throttled();
        burst(r, 2, "k4", "k5", "k6", "k7");
        assertEquals(List.of("k4", "k5"), sent(2));
        awaitHeld(r, 2);
        r.kit().<org.nexusswarm.actors.protocol.EntityStatus>runCommand(replyTo ->
                h.fixture.kill(r.address(), "inspection", replyTo));
        // The journal as a crash right after the kill's write leaves it: held intents not yet refused.
        List<SafetyEvent> all = h.fullJournal(r);
        int killed = all.indexOf(h.last(r, SafetyEvent.Killed.class));
        List<Object> upToKill = new ArrayList<>(all.subList(0, killed + 2)); // the kill and its checkpoint
        assertInstanceOf(SafetyEvent.Checkpointed.class, upToKill.get(upToKill.size() - 1));
        assertTrue(upToKill.stream().noneMatch(ActionDenied.class::isInstance), "nothing refused yet: " + upToKill);
        r.kit().clear();
        r.kit().persistenceTestKit().persistForRecovery(r.entity().persistenceId(), upToKill);

        restart(r);
        assertInstanceOf(SupervisorState.Quarantined.class, r.kit().getState());
        h.testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
            List<ActionDenied> refused = h.eventsOf(r, ActionDenied.class);
            assertEquals(List.of("k6", "k7"), ids(refused));
            assertTrue(refused.stream().allMatch(d -> d.code() == RefusalCode.QUARANTINED));
            assertEquals(List.of(), r.kit().getState().memory().held());
            return null;
        });
        clock.advance(Duration.ofSeconds(5));
        h.router.expectNoMessage(Duration.ofMillis(300));
    }

    /** A logic under another version string: the same steps, so only its version differs. */
    private record Versioned(AgentLogic<AgentContext> logic, String version) implements AgentLogic<AgentContext>,
            LogicChild.ChildWatch {
        @Override
        public AgentContext init(AgentContext context) {
            return logic.init(context);
        }

        @Override
        public Step<AgentContext> step(AgentContext state, AgentInput input) {
            return logic.step(state, input);
        }

        @Override
        public java.util.Set<Class<? extends org.nexusswarm.actors.SwarmMessage>> accepts() {
            return logic.accepts();
        }

        @Override
        public List<PayloadSchema> payloads() {
            return logic.payloads();
        }

        @Override
        public void childStarted(AgentContext context, ActorRef<LogicChild.Feed> child) {
            ((LogicChild.ChildWatch) logic).childStarted(context, child);
        }
    }
}
