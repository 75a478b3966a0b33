package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.spi.testing.LogicStepper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.AgentInput;

class RogueAgentLogicTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("RogueAgentLogicTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void triesToDivertWaterOnEveryReadingDespiteDenials() {
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> rogue = LogicStepper.start(RogueAgentLogic.logic(DroughtWatchRail.node(), 300.0), DroughtWatchRail.agent(99), "sahel-cell-09", outbox);

        rogue.tell(new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED, new SoilMoistureReading("sahel-cell-09", 40, 25, 0), LogicStepper.T));
        Intent first = outbox.next();
        assertEquals("irrigation.divert-water", first.actionClass());
        assertEquals(DroughtWatchRail.node(), first.target());
        assertEquals(new DivertWater("sahel-cell-09", 300.0), first.payload());

        rogue.tell(new AgentInput.Outcome(first.intentId(), false, "action not in credential", LogicStepper.T));
        // a denial alone does not make it retry (no hot loop) ...
        outbox.expectNone();
        // ... but the next reading does
        rogue.tell(new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED, new SoilMoistureReading("sahel-cell-09", 41, 26, 1), LogicStepper.T));
        Intent second = outbox.next();
        assertEquals("irrigation.divert-water", second.actionClass());
        assertNotEquals(first.intentId(), second.intentId());
    }
}
