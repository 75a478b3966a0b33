package org.nexusswarm.orchestrators;

import org.nexusswarm.actors.spi.testing.LogicStepper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.delegators.TaskRequest;
import org.nexusswarm.delegators.TaskResult;
import org.nexusswarm.delegators.TaskRuntime;

/** The orchestrator end to end; the test plays the delegators by answering the dispatch intents. */
class OrchestratorLogicTest {

    private static final Duration QUIET = Duration.ofMillis(200);
    private static final EntityAddress SELF = EntityAddress.of(EntityKind.ORCHESTRATOR, "rail.orchestrator-0");
    private static final EntityAddress AGENT = EntityAddress.of(EntityKind.AGENT, "rail.agent-007");
    private static final List<EntityAddress> DELEGATORS = List.of(
            EntityAddress.of(EntityKind.DELEGATOR, "rail.delegator-0"),
            EntityAddress.of(EntityKind.DELEGATOR, "rail.delegator-1"),
            EntityAddress.of(EntityKind.DELEGATOR, "rail.delegator-2"));

    private static ActorTestKit testKit;
    private LogicStepper.Outbox outbox;
    private LogicStepper<?> orchestrator;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("OrchestratorLogicTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void spawn() {
        outbox = new LogicStepper.Outbox();
        orchestrator = spawn(DELEGATORS, 3, 2);
    }

    @Test
    void dispatchesReplicasAndCertifiesOnQuorum() {
        List<Intent> dispatches = request("r1", List.of(12.0, 38.0));
        for (int i = 0; i < 3; i++) {
            assertEquals("task.dispatch", dispatches.get(i).actionClass());
            assertEquals(DELEGATORS.get(i), dispatches.get(i).target());
            assertEquals("r1/" + i, ((TaskRequest) dispatches.get(i).payload()).taskId());
        }
        answerHonestly(dispatches.get(0));
        outbox.expectNone();
        answerHonestly(dispatches.get(1));

        ComputeResult result = expectResult();
        TaskResult expected = TaskRuntime.standard().run((TaskRequest) dispatches.get(0).payload(), "x");
        assertTrue(result.certified());
        assertEquals("r1", result.requestId());
        assertEquals(expected.value(), result.value());
        assertEquals(expected.outputDigest(), result.outputDigest());
        assertEquals(2, result.agreeing());
        assertEquals(3, result.replicas());
        assertEquals(List.of(), result.dissenters());
    }

    @Test
    void namesTheDissenter() {
        List<Intent> dispatches = request("r2", List.of(50.0, 20.0));
        answerFaultily(dispatches.get(0), 0.3);
        answerHonestly(dispatches.get(1));
        outbox.expectNone();
        answerHonestly(dispatches.get(2));

        ComputeResult result = expectResult();
        assertTrue(result.certified());
        assertEquals(2, result.agreeing());
        assertEquals(List.of(DELEGATORS.get(0).toString()), result.dissenters());
    }

    @Test
    void noQuorumWhenAllReplicasDisagree() {
        List<Intent> dispatches = request("r3", List.of(30.0, 30.0));
        answerHonestly(dispatches.get(0));
        answerFaultily(dispatches.get(1), 0.1);
        answerFaultily(dispatches.get(2), 0.2);

        ComputeResult result = expectResult();
        assertFalse(result.certified());
        assertTrue(Double.isNaN(result.value()));
        assertEquals("", result.outputDigest());
        assertEquals(1, result.agreeing());
        assertEquals(3, result.replicas());
    }

    @Test
    void lateResultAfterCertificationSendsNothing() {
        List<Intent> dispatches = request("r4", List.of(12.0, 38.0));
        answerHonestly(dispatches.get(0));
        answerHonestly(dispatches.get(1));
        assertTrue(expectResult().certified());

        answerFaultily(dispatches.get(2), 0.5); // late dissent: recorded, not answered
        answerHonestly(dispatches.get(2)); // duplicate after the request is finished
        outbox.expectNone();
    }

    @Test
    void ignoresResultsForUnknownTasksAndFromTheWrongDelegator() {
        List<Intent> dispatches = request("r5", List.of(12.0, 38.0));
        TaskRequest toD0 = (TaskRequest) dispatches.get(0).payload();
        // d1 answering d0's task must not count as d0's vote
        orchestrator.tell(new AgentInput.Inbound(DELEGATORS.get(1).toString(),
                TaskRuntime.standard().run(toD0, DELEGATORS.get(1).toString()), LogicStepper.T));
        orchestrator.tell(new AgentInput.Inbound(DELEGATORS.get(0).toString(),
                TaskRuntime.standard().run(new TaskRequest("nope/0", "mean", List.of(1.0), 10), "x"), LogicStepper.T));
        answerHonestly(dispatches.get(1));
        outbox.expectNone();
        answerHonestly(dispatches.get(0));
        assertTrue(expectResult().certified());
    }

    @Test
    void aResultThatContradictsItsDigestIsAnAbstention() {
        List<Intent> dispatches = request("r6", List.of(12.0, 38.0));
        TaskResult honest = TaskRuntime.standard().run((TaskRequest) dispatches.get(0).payload(),
                DELEGATORS.get(0).toString());
        TaskResult forged = new TaskResult(honest.taskId(), honest.taskKind(), honest.value() + 0.2,
                honest.outputDigest(), honest.fuelUsed(), true, honest.delegator());
        orchestrator.tell(new AgentInput.Inbound(DELEGATORS.get(0).toString(), forged, LogicStepper.T));
        answerHonestly(dispatches.get(1));
        answerHonestly(dispatches.get(2));
        ComputeResult result = expectResult();
        assertTrue(result.certified());
        assertEquals(List.of(DELEGATORS.get(0).toString()), result.dissenters());
    }

    @Test
    void aDeniedDispatchCountsAsAnAbstention() {
        List<Intent> dispatches = request("r7", List.of(12.0, 38.0));
        orchestrator.tell(new AgentInput.Outcome(dispatches.get(2).intentId(), false, "delegator quarantined", LogicStepper.T));
        answerHonestly(dispatches.get(0));
        answerFaultily(dispatches.get(1), 0.4);
        ComputeResult result = expectResult();
        assertFalse(result.certified());
        assertEquals(List.of(DELEGATORS.get(2).toString()), result.dissenters());
    }

    @Test
    void picksDelegatorsRoundRobin() {
        List<EntityAddress> four = new ArrayList<>(DELEGATORS);
        four.add(EntityAddress.of(EntityKind.DELEGATOR, "rail.delegator-3"));
        orchestrator = spawn(four, 2, 2);
        assertEquals(List.of(four.get(0), four.get(1)), targets(request("a", List.of(1.0, 2.0), 2)));
        assertEquals(List.of(four.get(2), four.get(3)), targets(request("b", List.of(1.0, 2.0), 2)));
        assertEquals(List.of(four.get(0), four.get(1)), targets(request("c", List.of(1.0, 2.0), 2)));
    }

    @Test
    void aRepeatedRequestGetsTheSameAnswerWithoutNewDispatch() {
        List<Intent> dispatches = request("r8", List.of(12.0, 38.0));
        dispatches.forEach(this::answerHonestly);
        ComputeResult first = expectResult();
        orchestrator.tell(new AgentInput.Inbound(AGENT.toString(),
                new ComputeRequest("r8", "drought-index", List.of(12.0, 38.0), 100), LogicStepper.T));
        assertEquals(first, expectResult());
        outbox.expectNone();
    }

    @Test
    void rejectsImpossibleShapes() {
        assertThrows(IllegalArgumentException.class, () -> OrchestratorLogic.logic(DELEGATORS, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> OrchestratorLogic.logic(DELEGATORS, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> OrchestratorLogic.logic(List.of(), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> OrchestratorLogic.logic(List.of(AGENT), 1, 1));
    }

    private LogicStepper<?> spawn(List<EntityAddress> delegators, int replicas, int quorum) {
        return LogicStepper.start(OrchestratorLogic.logic(delegators, replicas, quorum), SELF, "sahel", outbox);
    }

    private List<Intent> request(String id, List<Double> inputs) {
        return request(id, inputs, 3);
    }

    private List<Intent> request(String id, List<Double> inputs, int replicas) {
        orchestrator.tell(new AgentInput.Inbound(AGENT.toString(),
                new ComputeRequest(id, "drought-index", inputs, 100), LogicStepper.T));
        List<Intent> dispatches = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            dispatches.add(outbox.next());
        }
        return dispatches;
    }

    private static List<EntityAddress> targets(List<Intent> intents) {
        return intents.stream().map(Intent::target).toList();
    }

    private void answerHonestly(Intent dispatch) {
        String delegator = dispatch.target().toString();
        orchestrator.tell(new AgentInput.Inbound(delegator,
                TaskRuntime.standard().run((TaskRequest) dispatch.payload(), delegator), LogicStepper.T));
    }

    private void answerFaultily(Intent dispatch, double bias) {
        TaskRequest request = (TaskRequest) dispatch.payload();
        TaskResult honest = TaskRuntime.standard().run(request, dispatch.target().toString());
        double wrong = honest.value() + bias;
        orchestrator.tell(new AgentInput.Inbound(dispatch.target().toString(), new TaskResult(
                honest.taskId(), honest.taskKind(), wrong,
                TaskRuntime.outputDigest(request.taskKind(), request.inputs(), wrong),
                honest.fuelUsed(), true, honest.delegator()), LogicStepper.T));
    }

    private ComputeResult expectResult() {
        Intent intent = outbox.next();
        assertEquals("compute.result", intent.actionClass());
        assertEquals(AGENT, intent.target());
        return (ComputeResult) intent.payload();
    }
}
