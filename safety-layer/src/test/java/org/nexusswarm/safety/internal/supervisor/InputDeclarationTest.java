package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.DeliveryReply;
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
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * A logic declares its input types ({@code AgentLogic.accepts()}): an authenticated message of another type is
 * refused, journaled, and never reaches the logic; a declaration that throws accepts nothing (fail closed).
 */
class InputDeclarationTest {

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("InputDeclarationTest");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void fresh() {
        h.reset();
    }

    /** A probe logic that declares {@code accepts} as its inputs (null: its declaration throws). */
    private record Declaring(AgentLogic<AgentContext> probe, Set<Class<? extends SwarmMessage>> accepts)
            implements AgentLogic<AgentContext>, LogicChild.ChildWatch {
        @Override
        public String version() {
            return probe.version();
        }

        @Override
        public AgentContext init(AgentContext context) {
            return probe.init(context);
        }

        @Override
        public Step<AgentContext> step(AgentContext state, AgentInput input) {
            return probe.step(state, input);
        }

        @Override
        public List<PayloadSchema> payloads() {
            return probe.payloads();
        }

        @Override
        public Set<Class<? extends SwarmMessage>> accepts() {
            if (accepts == null) {
                throw new IllegalStateException("broken declaration");
            }
            return accepts;
        }

        @Override
        public void childStarted(AgentContext context, ActorRef<LogicChild.Feed> child) {
            ((LogicChild.ChildWatch) probe).childStarted(context, child);
        }
    }

    @SuppressWarnings("unchecked")
    private Running deploy(Set<Class<? extends SwarmMessage>> accepts) {
        SwarmKeyPair keys = Ed25519.generate();
        TestProbe<AgentInput> inputs = h.testKit.createTestProbe();
        TestProbe<LogicStarted> starts = h.testKit.createTestProbe();
        Credential c = h.fixture.credential(keys, List.of("x.act"));
        EntityAddress address = SafetyFixture.freshAddress("declaring");
        AgentLogic<AgentContext> probe = (AgentLogic<AgentContext>) ProbeLogic.of(inputs.ref(), starts.ref(), null,
                List.of("x.act"));
        h.fixture.registry.deploy(new EntitySpec(address, SafetyFixture.PLACE, keys, c, new Declaring(probe, accepts)));
        return h.run(new Deployed(address, keys, c, inputs, starts));
    }

    @Test
    void anUndeclaredInputTypeIsRefusedJournaledAndNeverSeenByTheLogic() {
        Running r = deploy(Set.of(Note.class));

        var accepted = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("declared")));
        assertInstanceOf(DeliveryReply.Accepted.class, accepted.reply());
        AgentInput.Inbound seen = r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        assertEquals(new Note("declared"), seen.payload());

        var refused = h.deliver(r, h.fixture.fromOperator(r.address(), new Act("i-1", "x.act", r.address(), "act")));
        DeliveryReply.Refused reply = assertInstanceOf(DeliveryReply.Refused.class, refused.reply());
        assertEquals(RefusalCode.INPUT_NOT_DECLARED, reply.code());
        assertTrue(reply.detail().contains("Act"), reply.detail());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(300));
        SafetyEvent.Refused journaled = assertInstanceOf(SafetyEvent.Refused.class, refused.events().get(0));
        assertEquals(RefusalCode.INPUT_NOT_DECLARED, journaled.code());
        h.router.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aLogicThatDeclaresNothingTakesEveryAuthenticatedInput() {
        Running r = deploy(Set.of());
        assertInstanceOf(DeliveryReply.Accepted.class,
                h.deliver(r, h.fixture.fromOperator(r.address(), new Note("any"))).reply());
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
    }

    @Test
    void aDeclarationThatThrowsAcceptsNothing() {
        Running r = deploy(null);
        var refused = h.deliver(r, h.fixture.fromOperator(r.address(), new Note("any")));
        assertEquals(RefusalCode.INPUT_NOT_DECLARED,
                assertInstanceOf(DeliveryReply.Refused.class, refused.reply()).code());
        r.entity().inputs().expectNoMessage(Duration.ofMillis(300));
    }
}
