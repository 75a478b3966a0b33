package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * The logic child: intents of a step reach the parent's outbox in order; a step that throws, runs over its wall
 * time budget or returns too many intents is reported as a fault, its intents are dropped and the logic gets no
 * more input. (That the supervisor journals the fault as Killed is {@code SafetySupervisorTest}'s.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogicChildTest {

    private static final EntityAddress SELF = EntityAddress.of(EntityKind.AGENT, "rail.agent-1");
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "rail.node-0");
    private static final LogicChild.Budget BUDGET = new LogicChild.Budget(Duration.ofMillis(100), 4);

    private final ActorTestKit testKit = ActorTestKit.create("logic-child");

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    /** Answers a Note with {@code n} intents, where n is the note's text; "throw" throws; "spin" spins 300 ms. */
    private static final AgentLogic<Long> LOGIC = new AgentLogic<>() {
        @Override
        public String version() {
            return "child-test/1";
        }

        @Override
        public Long init(AgentContext context) {
            return 0L;
        }

        @Override
        public Step<Long> step(Long seen, AgentInput input) {
            if (!(input instanceof AgentInput.Inbound in) || !(in.payload() instanceof Note note)) {
                return Step.of(seen);
            }
            if (note.text().equals("throw")) {
                throw new IllegalStateException("asked to throw");
            }
            if (note.text().equals("spin")) {
                // A busy loop that checks nothing and calls nothing the child could intercept; bounded so the
                // test ends.
                // Counted in CPU time of this thread, so it is over budget however busy the machine is.
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long end = threads.getCurrentThreadCpuTime() + 300_000_000L;
                long x = 0;
                while (threads.getCurrentThreadCpuTime() < end) {
                    x++;
                }
                return Step.of(seen + x, new Intent("spun", "act", TARGET, new Note("spun")));
            }
            int n = Integer.parseInt(note.text());
            List<Intent> intents = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                intents.add(new Intent("i-" + (seen + 1) + "-" + i, "act", TARGET, new Note("x")));
            }
            return Step.of(seen + 1, intents);
        }
    };

    private record Spawned(ActorRef<LogicChild.Feed> child, TestProbe<LogicChild.Emitted> outbox,
            TestProbe<LogicChild.ToParent> parent) {
        /** The next fault (the Ready a started logic sends first is skipped). */
        LogicChild.Fault fault(Duration within) {
            LogicChild.ToParent next = parent.receiveMessage(within);
            return next instanceof LogicChild.Fault f ? f : (LogicChild.Fault) parent.receiveMessage(within);
        }

        LogicChild.Fault fault() {
            return fault(Duration.ofSeconds(3));
        }

        void expectNoFault() {
            parent.expectMessageClass(LogicChild.Ready.class);
            parent.expectNoMessage(Duration.ofMillis(50));
        }

        void feed(String text) {
            child.tell(new LogicChild.Feed(new AgentInput.Inbound("op", new Note(text), 1_000L)));
        }
    }

    private Spawned spawn() {
        TestProbe<LogicChild.Emitted> outbox = testKit.createTestProbe();
        TestProbe<LogicChild.ToParent> faults = testKit.createTestProbe();
        ActorRef<LogicChild.Feed> child = testKit.spawn(LogicChild.create(LOGIC, new AgentContext(SELF, "cell"),
                outbox.ref(), faults.ref(), BUDGET), LogicChild.dispatcher());
        return new Spawned(child, outbox, faults);
    }

    @Test
    void intentsOfAStepReachTheOutboxInOrderAndStateCarriesOver() {
        Spawned s = spawn();
        s.feed("2");
        assertEquals("i-1-0", s.outbox().receiveMessage().intent().intentId());
        assertEquals("i-1-1", s.outbox().receiveMessage().intent().intentId());
        s.feed("1");
        assertEquals("i-2-0", s.outbox().receiveMessage().intent().intentId());
        s.expectNoFault();
    }

    @Test
    void everyIntentOfAStepCarriesTheCauseChainOfItsInputWhichTheLogicNeverSees() {
        Spawned s = spawn();
        org.nexusswarm.safety.internal.provenance.CauseChain chain = new org.nexusswarm.safety.internal.provenance.CauseChain(
                List.of("agent:a", "operator:ops"));
        s.child().tell(new LogicChild.Feed(new AgentInput.Inbound("agent:a", new Note("2"), 1_000L), chain));
        assertEquals(chain, s.outbox().receiveMessage().cause());
        assertEquals(chain, s.outbox().receiveMessage().cause());
        s.feed("1");
        LogicChild.Emitted later = s.outbox().receiveMessage();
        assertEquals(org.nexusswarm.safety.internal.provenance.CauseChain.NONE, later.cause());
        // What the logic may have kept from the first input stays in the history of everything it emits later.
        assertEquals(java.util.Map.of("agent:a", 1, "operator:ops", 2), later.history().depths());
    }

    @Test
    void aStepThatThrowsIsAFaultAndTheLogicGetsNoMoreInput() {
        Spawned s = spawn();
        s.feed("throw");
        LogicChild.Fault fault = s.fault();
        assertEquals(s.child(), fault.child());
        assertTrue(fault.reason().startsWith("logic fault: step threw IllegalStateException: asked to throw"),
                fault.reason());
        s.feed("1");
        s.outbox().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aStepOverItsTimeBudgetIsAFaultAndItsIntentsAreDropped() {
        Spawned s = spawn();
        s.feed("spin");
        LogicChild.Fault fault = s.fault(Duration.ofSeconds(5));
        // The CPU budget catches it; on a starved machine (the spinning thread gets under 100 ms of CPU in 2 s)
        // the wall-time cap does first. Either is the fault this test is about.
        assertTrue(fault.reason().matches("logic fault: step took \\d+ ms of CPU \\(budget 100 ms\\)")
                || fault.reason().matches("logic fault: step still running after \\d+ ms \\(wall-time cap \\d+ ms\\); "
                        + "stopped"), fault.reason());
        s.outbox().expectNoMessage(Duration.ofMillis(100));
        s.feed("1");
        s.outbox().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aStepWithTooManyIntentsIsAFaultAndNoneIsSent() {
        Spawned s = spawn();
        s.feed("5");
        LogicChild.Fault fault = s.fault();
        assertEquals("logic fault: step returned 5 intents (limit 4)", fault.reason());
        s.outbox().expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aFaultyInitIsAFault() {
        TestProbe<LogicChild.Emitted> outbox = testKit.createTestProbe();
        TestProbe<LogicChild.ToParent> faults = testKit.createTestProbe();
        AgentLogic<Long> broken = new AgentLogic<>() {
            @Override
            public String version() {
                return "broken/1";
            }

            @Override
            public Long init(AgentContext context) {
                throw new IllegalArgumentException("no state for you");
            }

            @Override
            public Step<Long> step(Long state, AgentInput input) {
                return Step.of(state);
            }
        };
        testKit.spawn(LogicChild.create(broken, new AgentContext(SELF, "cell"), outbox.ref(), faults.ref(), BUDGET));
        assertTrue(((LogicChild.Fault) faults.receiveMessage()).reason().startsWith("logic fault: init threw IllegalArgumentException"));
    }
}
