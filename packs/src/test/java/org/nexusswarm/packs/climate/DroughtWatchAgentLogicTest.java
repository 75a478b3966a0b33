package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.spi.testing.LogicStepper;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.orchestrators.ComputeRequest;
import org.nexusswarm.orchestrators.ComputeResult;

class DroughtWatchAgentLogicTest {

    private static final Duration QUIET = Duration.ofMillis(200);
    private static final EntityAddress SELF = DroughtWatchRail.agent(7);
    private static final EntityAddress ORCHESTRATOR = DroughtWatchRail.orchestrator();
    private static final EntityAddress NODE = DroughtWatchRail.node();

    private static ActorTestKit testKit;
    private LogicStepper.Outbox outbox;
    private LogicStepper<?> agent;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("DroughtWatchAgentLogicTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void spawn() {
        outbox = new LogicStepper.Outbox();
        agent = LogicStepper.start(DroughtWatchAgentLogic.logic(ORCHESTRATOR, NODE), SELF, "sahel-cell-07", outbox);
    }

    @Test
    void aReadingBecomesAComputeRequest() {
        ComputeRequest request = read(new SoilMoistureReading("sahel-cell-07", 12.5, 38.0, 3));
        assertEquals("drought-index", request.taskKind());
        assertEquals(List.of(12.5, 38.0), request.inputs());
        assertEquals(DroughtWatchAgentLogic.DEFAULT_FUEL_BUDGET, request.fuelBudget());
    }

    @Test
    void aCertifiedHighIndexRaisesAnAlertAtTheNode() {
        ComputeRequest request = read(new SoilMoistureReading("sahel-cell-07", 12.5, 38.0, 3));
        answer(ORCHESTRATOR, new ComputeResult(request.requestId(), true, 0.87, "ab".repeat(32), 2, 3, List.of()));

        Intent intent = outbox.next();
        assertEquals("alert.raise", intent.actionClass());
        assertEquals(NODE, intent.target());
        assertEquals(new DroughtAlert("sahel-cell-07", SELF.toString(), 0.87, 3, "ab".repeat(32)), intent.payload());
    }

    @Test
    void aLowIndexRaisesNothing() {
        ComputeRequest request = read(new SoilMoistureReading("sahel-cell-07", 55.0, 20.0, 1));
        answer(ORCHESTRATOR, new ComputeResult(request.requestId(), true, 0.27, "cd".repeat(32), 3, 3, List.of()));
        outbox.expectNone();
    }

    @Test
    void anUncertifiedOrForeignOrUnknownResultRaisesNothing() {
        ComputeRequest request = read(new SoilMoistureReading("sahel-cell-07", 12.5, 38.0, 3));
        // from someone other than the orchestrator
        answer(DroughtWatchRail.agent(8), new ComputeResult(request.requestId(), true, 0.9, "ef".repeat(32), 2, 3, List.of()));
        // for a request this agent never made
        answer(ORCHESTRATOR, new ComputeResult("other", true, 0.9, "ef".repeat(32), 2, 3, List.of()));
        // no quorum
        answer(ORCHESTRATOR, new ComputeResult(request.requestId(), false, Double.NaN, "", 1, 3, List.of()));
        outbox.expectNone();
        // the request was answered (uncertified), so a later certified copy is not acted on either
        answer(ORCHESTRATOR, new ComputeResult(request.requestId(), true, 0.9, "ef".repeat(32), 2, 3, List.of()));
        outbox.expectNone();
    }

    private ComputeRequest read(SoilMoistureReading reading) {
        agent.tell(new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED, reading, LogicStepper.T));
        Intent intent = outbox.next();
        assertEquals("compute.request", intent.actionClass());
        assertEquals(ORCHESTRATOR, intent.target());
        return (ComputeRequest) intent.payload();
    }

    private void answer(EntityAddress from, ComputeResult result) {
        agent.tell(new AgentInput.Inbound(from.toString(), result, LogicStepper.T));
    }
}
