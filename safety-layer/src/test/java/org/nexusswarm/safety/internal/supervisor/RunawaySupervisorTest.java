package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team: a logic whose step never returns, or whose {@code version()} never returns, is a journaled fault: the
 * entity is killed and quarantined, its child stopped, and what arrives afterwards is refused and journaled. The
 * supervisor never waits on pack code (it reads the logic's declarations from its child).
 */
class RunawaySupervisorTest {

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("RunawaySupervisorTest", "nexus.swarm.safety.step-wall-cap-min = 500ms");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void fresh() {
        h.reset();
    }

    /** A probe logic that loops forever on the Note "loop", or in {@code version()} when {@code loopingVersion}. */
    private record Looping(AgentLogic<AgentContext> probe, boolean loopingVersion)
            implements AgentLogic<AgentContext>, LogicChild.ChildWatch {

        private static void loop() {
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & 0xffff;
            }
        }

        @Override
        public String version() {
            if (loopingVersion) {
                loop();
            }
            return probe.version();
        }

        @Override
        public AgentContext init(AgentContext context) {
            return probe.init(context);
        }

        @Override
        public Step<AgentContext> step(AgentContext state, AgentInput input) {
            Step<AgentContext> step = probe.step(state, input);
            if (input instanceof AgentInput.Inbound in && in.payload() instanceof Note note
                    && note.text().equals("loop")) {
                loop();
            }
            return step;
        }

        @Override
        public List<PayloadSchema> payloads() {
            return probe.payloads();
        }

        @Override
        public void childStarted(AgentContext context, ActorRef<LogicChild.Feed> child) {
            ((LogicChild.ChildWatch) probe).childStarted(context, child);
        }
    }

    @SuppressWarnings("unchecked")
    private Deployed deploy(boolean loopingVersion) {
        SwarmKeyPair keys = Ed25519.generate();
        TestProbe<AgentInput> inputs = h.testKit.createTestProbe();
        TestProbe<LogicStarted> starts = h.testKit.createTestProbe();
        Credential c = h.fixture.credential(keys, List.of("x.act"));
        EntityAddress address = SafetyFixture.freshAddress("looping");
        AgentLogic<AgentContext> probe = (AgentLogic<AgentContext>) ProbeLogic.of(inputs.ref(), starts.ref(), null,
                List.of("x.act"));
        h.fixture.registry.deploy(new EntitySpec(address, SafetyFixture.PLACE, keys, c,
                new Looping(probe, loopingVersion)));
        return new Deployed(address, keys, c, inputs, starts);
    }

    private static SupervisorState.Quarantined awaitQuarantined(
            EventSourcedBehaviorTestKit<EntityCommand, SafetyEvent, SupervisorState> kit) {
        TestProbe<Object> probe = h.testKit.createTestProbe();
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
            assertInstanceOf(SupervisorState.Quarantined.class, kit.getState());
            return null;
        });
        return (SupervisorState.Quarantined) kit.getState();
    }

    @Test
    void aStepThatNeverReturnsIsJournaledKilledAndQuarantined() {
        Running r = h.run(deploy(false));
        TestProbe<Object> watcher = h.testKit.createTestProbe();
        var accepted = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("loop")));
        assertInstanceOf(DeliveryReply.Accepted.class, accepted.reply());
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);

        watcher.expectTerminated(r.logic(), Duration.ofSeconds(10));
        SupervisorState.Quarantined q = awaitQuarantined(r.kit());
        assertTrue(q.reason().startsWith("logic fault: step still running after"), q.reason());
        List<SafetyEvent> journal = h.journal(r);
        SafetyEvent.Killed killed = assertInstanceOf(SafetyEvent.Killed.class, journal.get(journal.size() - 1));
        assertEquals(q.reason(), killed.reason());

        var refused = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("after")));
        assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, refused.reply()).code());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aVersionThatNeverReturnsKeepsTheLogicFromStartingAndQuarantines() {
        Deployed entity = deploy(true);
        var kit = EventSourcedBehaviorTestKit.<EntityCommand, SafetyEvent, SupervisorState>create(h.testKit.system(),
                SafetySupervisor.create(entity.address()));
        // Delivered while the logic is starting: it waits (the supervisor does not know what the logic accepts)
        // and is then refused, journaled, as the entity was quarantined meanwhile.
        var refused = kit.<DeliveryReply>runCommand(replyTo -> new org.nexusswarm.actors.protocol.Deliver(
                h.fixture.fromOperator(entity.address(), new Note("early")), replyTo));
        SupervisorState.Quarantined q = awaitQuarantined(kit);
        assertTrue(q.reason().startsWith("logic fault: start still running after"), q.reason());
        assertEquals(RefusalCode.QUARANTINED, assertInstanceOf(DeliveryReply.Refused.class, refused.reply()).code());
        entity.starts().expectNoMessage(Duration.ofMillis(100));
        entity.inputs().expectNoMessage(Duration.ofMillis(100));
        List<SafetyEvent> journal = kit.persistenceTestKit().persistedInStorage(entity.persistenceId()).stream()
                .map(SafetyEvent.class::cast).toList();
        assertTrue(journal.stream().noneMatch(SafetyEvent.Started.class::isInstance),
                "a logic that never started is not journaled as started: " + journal);
        assertInstanceOf(SafetyEvent.Killed.class, journal.get(0));
    }
}
