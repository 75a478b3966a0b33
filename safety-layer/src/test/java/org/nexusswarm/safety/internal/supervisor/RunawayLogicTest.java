package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team: a step (or a declaration) that never returns. The watchdog stops it at its wall-time cap, the child
 * reports the fault, and the logic threads keep serving other logics: two runaway logics on a node with two logic
 * threads do not stop a third. (That the supervisor journals such a fault and quarantines the entity is
 * {@link RunawaySupervisorTest}'s.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunawayLogicTest {

    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "rail.node-0");
    private static final Duration CAP = Duration.ofMillis(400);

    private final ActorTestKit testKit = ActorTestKit.create("runaway", ConfigFactory.parseString("""
            nexus.swarm.safety {
              logic-threads = 2
              step-budget = 20ms
              step-wall-cap-min = 400ms
              logic-stop-retry = 20ms
            }
            """).withFallback(ConfigFactory.load()));
    private final LogicChild.Budget budget = LogicChild.Budget.from(testKit.system().settings().config());
    private final LogicWatchdog watchdog = LogicWatchdog.get(testKit.system());

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    /** What a runaway logic does instead of returning. */
    enum Runaway { NONE, STEP, STEP_SWALLOWING_STOPS, VERSION, ACCEPTS, PAYLOADS }

    /**
     * Answers a Note with one intent; loops forever where {@code runaway} says (pure code: no call the child could
     * intercept), recording the thread it loops on.
     */
    private static final class Looping implements AgentLogic<Integer> {
        private final Runaway runaway;
        final AtomicReference<Thread> loopingOn = new AtomicReference<>();

        Looping(Runaway runaway) {
            this.runaway = runaway;
        }

        private void loop() {
            loopingOn.set(Thread.currentThread());
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & 0xffff;
            }
        }

        /** Catches every stop and loops again: the watchdog must stop it again. */
        private void loopSwallowing(int times) {
            for (int i = 0; i < times; i++) {
                try {
                    loop();
                } catch (Throwable swallowed) {
                    // the red team's logic: keep running
                }
            }
            loop();
        }

        @Override
        public String version() {
            if (runaway == Runaway.VERSION) {
                loop();
            }
            return "looping/" + runaway;
        }

        @Override
        public Set<Class<? extends SwarmMessage>> accepts() {
            if (runaway == Runaway.ACCEPTS) {
                loop();
            }
            return Set.of();
        }

        @Override
        public java.util.List<org.nexusswarm.actors.spi.PayloadSchema> payloads() {
            if (runaway == Runaway.PAYLOADS) {
                loop();
            }
            return java.util.List.of();
        }

        @Override
        public Integer init(AgentContext context) {
            return 0;
        }

        @Override
        public Step<Integer> step(Integer n, AgentInput input) {
            if (input instanceof AgentInput.Inbound in && in.payload() instanceof Note note
                    && note.text().equals("loop")) {
                if (runaway == Runaway.STEP) {
                    loop();
                } else if (runaway == Runaway.STEP_SWALLOWING_STOPS) {
                    loopSwallowing(3);
                }
            }
            if (input instanceof AgentInput.Inbound in && in.payload() instanceof Note note
                    && note.text().startsWith("wait:")) {
                // Waits (without CPU) for as long as the note says, so it returns right at the wall-time cap.
                long end = System.nanoTime() + Long.parseLong(note.text().substring(5)) * 1_000_000L;
                while (System.nanoTime() < end) {
                    java.util.concurrent.locks.LockSupport.parkNanos(end - System.nanoTime());
                }
            }
            return Step.of(n + 1, new Intent("i-" + n, "act", TARGET, new Note("x")));
        }
    }

    private record Spawned(Looping logic, ActorRef<LogicChild.Feed> child, TestProbe<LogicChild.Emitted> outbox,
            TestProbe<LogicChild.ToParent> parent) {
        void feed(String text) {
            child.tell(new LogicChild.Feed(new AgentInput.Inbound("op", new Note(text), 1_000L)));
        }

        LogicChild.Fault fault() {
            LogicChild.ToParent next = parent.receiveMessage(Duration.ofSeconds(10));
            if (next instanceof LogicChild.Ready) {
                next = parent.receiveMessage(Duration.ofSeconds(10));
            }
            return assertInstanceOf(LogicChild.Fault.class, next);
        }
    }

    private Spawned spawn(Runaway runaway) {
        Looping logic = new Looping(runaway);
        TestProbe<LogicChild.Emitted> outbox = testKit.createTestProbe();
        TestProbe<LogicChild.ToParent> parent = testKit.createTestProbe();
        ActorRef<LogicChild.Feed> child = testKit.spawn(LogicChild.create(logic,
                new AgentContext(EntityAddress.of(EntityKind.AGENT, "rail.looping-" + runaway), "cell"),
                outbox.ref(), parent.ref(), budget));
        return new Spawned(logic, child, outbox, parent);
    }

    /** The thread the logic looped on left the logic: it waits for the next call (it was not replaced). */
    private void assertStoppedAndBackInThePool(Looping logic) {
        Thread t = logic.loopingOn.get();
        assertNotNull(t, "the logic ran");
        TestProbe<Object> probe = testKit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(5), () -> {
            Thread.State state = t.getState();
            assertTrue(state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING,
                    t.getName() + " is " + state);
            return null;
        });
        assertTrue(t.isAlive(), "a stopped call leaves its thread in the pool");
        assertEquals(0, watchdog.stuckThreads());
    }

    @Test
    void aStepThatNeverReturnsIsAFaultAndItsThreadIsStopped() {
        Spawned s = spawn(Runaway.STEP);
        int stoppedBefore = watchdog.stoppedCalls();
        s.feed("loop");
        s.feed("after");
        LogicChild.Fault fault = s.fault();
        assertEquals(s.child(), fault.child());
        assertTrue(fault.reason().matches("logic fault: step still running after \\d+ ms \\(wall-time cap 400 ms\\); "
                + "stopped"), fault.reason());
        s.outbox().expectNoMessage(Duration.ofMillis(100));
        assertStoppedAndBackInThePool(s.logic());
        assertTrue(watchdog.stoppedCalls() > stoppedBefore);

        // The threads keep serving: a fresh logic steps as usual.
        Spawned next = spawn(Runaway.NONE);
        next.feed("hello");
        assertEquals("i-0", next.outbox().receiveMessage(Duration.ofSeconds(5)).intent().intentId());
    }

    @Test
    void aStepThatSwallowsItsStopsIsStoppedAgain() {
        Spawned s = spawn(Runaway.STEP_SWALLOWING_STOPS);
        s.feed("loop");
        assertTrue(s.fault().reason().startsWith("logic fault: step still running"));
        assertStoppedAndBackInThePool(s.logic());
        s.outbox().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void twoRunawayLogicsOnTwoThreadsDoNotStopAThird() {
        Spawned a = spawn(Runaway.STEP);
        Spawned b = spawn(Runaway.STEP);
        a.feed("loop");
        b.feed("loop");
        TestProbe<Object> probe = testKit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(5), () -> {
            assertNotNull(a.logic().loopingOn.get());
            assertNotNull(b.logic().loopingOn.get());
            return null;
        });
        // Both logic threads are looping now; the third logic's steps wait for a thread, not for ever.
        Spawned third = spawn(Runaway.NONE);
        third.feed("one");
        third.feed("two");
        assertEquals("i-0", third.outbox().receiveMessage(Duration.ofSeconds(5)).intent().intentId());
        assertEquals("i-1", third.outbox().receiveMessage(Duration.ofSeconds(5)).intent().intentId());
        assertTrue(a.fault().reason().contains("still running"));
        assertTrue(b.fault().reason().contains("still running"));
        // Waiting for a thread is not running: the third logic is not faulted for the time it queued.
        third.parent().expectMessageClass(LogicChild.Ready.class);
        third.parent().expectNoMessage(CAP);
        assertStoppedAndBackInThePool(a.logic());
        assertStoppedAndBackInThePool(b.logic());
    }

    @Test
    void aStepThatReturnsJustAtItsDeadlineDoesNotUpsetTheNode() {
        for (long offset : new long[] {-10, -2, 0, 1, 2, 5, 10}) {
            // One probe for the child's outbox and its parent: what comes first, the intent or the fault.
            TestProbe<Object> both = testKit.createTestProbe();
            ActorRef<LogicChild.Feed> child = testKit.spawn(LogicChild.create(new Looping(Runaway.NONE),
                    new AgentContext(EntityAddress.of(EntityKind.AGENT, "rail.edge"), "cell"), both.ref().narrow(),
                    both.ref(), budget));
            both.expectMessageClass(LogicChild.Ready.class, Duration.ofSeconds(5));
            child.tell(new LogicChild.Feed(new AgentInput.Inbound("op", new Note("wait:" + (CAP.toMillis() + offset)),
                    1_000L)));
            Object first = both.receiveMessage(Duration.ofSeconds(5));
            if (first instanceof LogicChild.Fault fault) {
                assertTrue(fault.reason().contains("wall-time cap"), offset + ": " + fault.reason());
            } else {
                assertInstanceOf(LogicChild.Emitted.class, first, "offset " + offset);
            }
            // Never both: an intent that made it is not followed by a fault, a fault by no intent.
            both.expectNoMessage(Duration.ofMillis(50));
        }
        Spawned after = spawn(Runaway.NONE);
        after.feed("hello");
        assertEquals("i-0", after.outbox().receiveMessage(Duration.ofSeconds(5)).intent().intentId());
        assertEquals(0, watchdog.stuckThreads());
        assertEquals(2, watchdog.liveThreads());
    }

    @Test
    void aVersionThatNeverReturnsIsAStartFault() {
        Spawned s = spawn(Runaway.VERSION);
        s.feed("hello");
        LogicChild.Fault fault = assertInstanceOf(LogicChild.Fault.class, s.parent().receiveMessage(Duration.ofSeconds(10)));
        assertTrue(fault.reason().startsWith("logic fault: start still running"), fault.reason());
        s.outbox().expectNoMessage(Duration.ofMillis(100));
        assertStoppedAndBackInThePool(s.logic());
    }

    @Test
    void anAcceptsOrPayloadsThatNeverReturnsIsAStartFault() {
        for (Runaway runaway : new Runaway[] {Runaway.ACCEPTS, Runaway.PAYLOADS}) {
            Spawned s = spawn(runaway);
            LogicChild.Fault fault = assertInstanceOf(LogicChild.Fault.class,
                    s.parent().receiveMessage(Duration.ofSeconds(10)));
            assertTrue(fault.reason().startsWith("logic fault: start still running"), runaway + ": " + fault.reason());
            assertStoppedAndBackInThePool(s.logic());
        }
    }
}
