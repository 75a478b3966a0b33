package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.internal.supervisor.SafetyFixture.Deployed;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.LogicStarted;

/**
 * One test class's actor system with supervisors under {@link EventSourcedBehaviorTestKit}: the fixture, a
 * router probe that receives every routed envelope, and an approvals probe that receives every approval request
 * a supervisor opens. {@link #reset()} before each test restores the fixture's default services.
 */
final class SupervisorHarness {

    /** A supervisor under the testkit whose logic has started, with the logic's ref. */
    record Running(Deployed entity, EventSourcedBehaviorTestKit<EntityCommand, SafetyEvent, SupervisorState> kit,
            ActorRef<?> logic) {
        EntityAddress address() {
            return entity.address();
        }
    }

    final ActorTestKit testKit;
    final SafetyFixture fixture;
    TestProbe<Deliver> router;
    TestProbe<ApprovalRequest.Open> approvals;

    /** A harness whose system reads {@code overrides} (HOCON) before the test defaults. */
    SupervisorHarness(String name, String overrides) {
        Config config = ConfigFactory.parseString(overrides)
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load("application-test"));
        this.testKit = ActorTestKit.create(name, config);
        this.fixture = new SafetyFixture(testKit);
    }

    SupervisorHarness(String name) {
        this(name, "");
    }

    /** Fresh probes for routing and approvals; default policies, revocations and kill switch. */
    void reset() {
        fixture.resetServices();
        router = testKit.createTestProbe();
        ActorRef<Deliver> routed = router.ref();
        fixture.registry.useRouter((target, deliver) -> routed.tell(deliver));
        approvals = testKit.createTestProbe();
        ActorRef<ApprovalRequest.Open> opened = approvals.ref();
        fixture.registry.services().useApprovals(opened::tell);
    }

    void shutdown() {
        testKit.shutdownTestKit();
    }

    Running run(Deployed entity) {
        EventSourcedBehaviorTestKit<EntityCommand, SafetyEvent, SupervisorState> kit =
                EventSourcedBehaviorTestKit.create(testKit.system(), SafetySupervisor.create(entity.address()));
        LogicStarted started = entity.starts().expectMessageClass(LogicStarted.class);
        assertEquals(entity.address(), started.entity());
        return new Running(entity, kit, started.logic());
    }

    Running run(List<String> allowed) {
        return run(fixture.deploy("agent", allowed));
    }

    CommandResultWithReply<EntityCommand, SafetyEvent, SupervisorState, DeliveryReply> deliver(Running r,
            SignedEnvelope envelope) {
        return r.kit().<DeliveryReply>runCommand(replyTo -> new Deliver(envelope, replyTo));
    }

    /** Delivers {@code act} from the operator and waits until the logic has it (and so has proposed it). */
    void propose(Running r, Act act) {
        send(r, act);
    }

    /** Delivers {@code payload} from the operator and waits until the logic has it. */
    void send(Running r, org.nexusswarm.actors.SwarmMessage payload) {
        var result = deliver(r, fixture.fromOperator(r.address(), payload));
        assertInstanceOf(DeliveryReply.Accepted.class, result.reply());
        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, payload);
    }

    /** Proposes an intent with parameters and returns the logic's outcome for it. */
    AgentInput.Outcome act(Running r, String intentId, String actionClass, EntityAddress target,
            Map<String, Double> parameters) {
        propose(r, new Act(intentId, actionClass, target, "payload of " + intentId, parameters));
        AgentInput.Outcome outcome = r.entity().inputs().expectMessageClass(AgentInput.Outcome.class);
        assertEquals(intentId, outcome.intentId());
        return outcome;
    }

    AgentInput.Outcome act(Running r, String intentId, String actionClass, EntityAddress target) {
        return act(r, intentId, actionClass, target, Map.of());
    }

    /** The journaled decisions: every event but the bookkeeping ones ({@link #isBookkeeping}). */
    List<SafetyEvent> journal(Running r) {
        return decisions(fullJournal(r));
    }

    /** Every journaled event, Started and Checkpointed included. */
    List<SafetyEvent> fullJournal(Running r) {
        return r.kit().persistenceTestKit().persistedInStorage(r.entity().persistenceId()).stream()
                .map(SafetyEvent.class::cast).toList();
    }

    /** Started and Checkpointed open and seal episodes; tests of decisions look past them. */
    static boolean isBookkeeping(SafetyEvent e) {
        return e instanceof SafetyEvent.Started || e instanceof SafetyEvent.Checkpointed;
    }

    static List<SafetyEvent> decisions(List<? extends SafetyEvent> events) {
        return events.stream().filter(e -> !isBookkeeping(e)).<SafetyEvent>map(e -> e).toList();
    }

    /** The newest journaled event of {@code type} (failing when there is none). */
    <E extends SafetyEvent> E last(Running r, Class<E> type) {
        List<E> events = eventsOf(r, type);
        assertFalse(events.isEmpty(), "no " + type.getSimpleName() + " in " + journal(r));
        return events.get(events.size() - 1);
    }

    /** The journaled events of {@code type}, in order. */
    <E extends SafetyEvent> List<E> eventsOf(Running r, Class<E> type) {
        return journal(r).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The classes of the decision events among {@code events}. */
    static List<Class<?>> types(List<? extends SafetyEvent> events) {
        return decisions(events).stream().<Class<?>>map(Object::getClass).toList();
    }
}
