package org.nexusswarm.delegators;

import org.nexusswarm.actors.spi.testing.LogicStepper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.AgentInput;

class DelegatorLogicTest {

    private static ActorTestKit testKit;
    private static final EntityAddress SELF = EntityAddress.of(EntityKind.DELEGATOR, "rail.delegator-0");
    private static final EntityAddress ORCHESTRATOR = EntityAddress.of(EntityKind.ORCHESTRATOR, "rail.orchestrator-0");

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("DelegatorLogicTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void answersTheSenderWithATaskResult() {
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> delegator = spawn(DelegatorLogic.logic(), outbox);
        TaskRequest request = new TaskRequest("req-1/0", "drought-index", List.of(15.0, 36.0), 100);

        delegator.tell(new AgentInput.Inbound(ORCHESTRATOR.toString(), request, LogicStepper.T));

        Intent intent = outbox.next();
        assertEquals("task.result", intent.actionClass());
        assertEquals(ORCHESTRATOR, intent.target());
        TaskResult result = (TaskResult) intent.payload();
        assertEquals(TaskRuntime.standard().run(request, SELF.toString()), result);
        assertTrue(result.completed());
    }

    @Test
    void faultyDelegatorReturnsAWrongButSelfConsistentValue() {
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> delegator = spawn(DelegatorLogic.faulty(0.25), outbox);
        TaskRequest request = new TaskRequest("req-2/1", "mean", List.of(1.0, 3.0), 100);

        delegator.tell(new AgentInput.Inbound(ORCHESTRATOR.toString(), request, LogicStepper.T));

        TaskResult result = (TaskResult) outbox.next().payload();
        assertEquals(2.25, result.value());
        assertEquals(TaskRuntime.outputDigest("mean", request.inputs(), 2.25), result.outputDigest());
        assertNotEquals(TaskRuntime.standard().run(request, "x").outputDigest(), result.outputDigest());
    }

    @Test
    void reportsFuelExhaustionInsteadOfFailing() {
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> delegator = spawn(DelegatorLogic.logic(), outbox);

        delegator.tell(new AgentInput.Inbound(ORCHESTRATOR.toString(),
                new TaskRequest("req-3/0", "mean", List.of(1.0, 2.0, 3.0), 1), LogicStepper.T));

        TaskResult result = (TaskResult) outbox.next().payload();
        assertEquals(false, result.completed());
        assertEquals(1, result.fuelUsed());
    }

    @Test
    void dropsRequestsFromNonEntitiesAndOtherPayloadsAndSurvivesDenials() {
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> delegator = spawn(DelegatorLogic.logic(), outbox);

        delegator.tell(new AgentInput.Inbound("feed:sensors", new TaskRequest("x/0", "mean", List.of(1.0), 10), LogicStepper.T));
        delegator.tell(new AgentInput.Inbound(ORCHESTRATOR.toString(), ORCHESTRATOR, LogicStepper.T));
        delegator.tell(new AgentInput.Outcome("whatever", false, "policy says no", LogicStepper.T));
        outbox.expectNone();

        // still alive and answering
        delegator.tell(new AgentInput.Inbound(ORCHESTRATOR.toString(), new TaskRequest("y/0", "mean", List.of(1.0), 10), LogicStepper.T));
        assertEquals("y/0", ((TaskResult) outbox.next().payload()).taskId());
    }

    @Test
    void faultyNeedsABias() {
        assertThrows(IllegalArgumentException.class, () -> DelegatorLogic.faulty(0.0));
    }

    private static LogicStepper<?> spawn(org.nexusswarm.actors.spi.AgentLogic<?> logic, LogicStepper.Outbox outbox) {
        return LogicStepper.start(logic, SELF, "sahel-cell-00", outbox);
    }
}
