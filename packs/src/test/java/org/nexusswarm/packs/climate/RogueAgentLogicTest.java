package org.nexusswarm.packs.climate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
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
        Stepper.Outbox outbox = new Stepper.Outbox();
        Stepper<?> rogue = Stepper.start(RogueAgentLogic.logic(DroughtWatchRail.node(), 300.0), DroughtWatchRail.agent(99), "sahel-cell-09", outbox);

        rogue.tell(new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED, new SoilMoistureReading("sahel-cell-09", 40, 25, 0), Stepper.T));
        Intent first = outbox.expectMessageClass(Intent.class, Duration.ofSeconds(5));
        assertEquals("irrigation.divert-water", first.actionClass());
        assertEquals(DroughtWatchRail.node(), first.target());
        assertEquals(new DivertWater("sahel-cell-09", 300.0), first.payload());

        rogue.tell(new AgentInput.Outcome(first.intentId(), false, "action not in credential", Stepper.T));
        // a denial alone does not make it retry (no hot loop) ...
        outbox.expectNoMessage(Duration.ofMillis(200));
        // ... but the next reading does
        rogue.tell(new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED, new SoilMoistureReading("sahel-cell-09", 41, 26, 1), Stepper.T));
        Intent second = outbox.expectMessageClass(Intent.class, Duration.ofSeconds(5));
        assertEquals("irrigation.divert-water", second.actionClass());
        assertNotEquals(first.intentId(), second.intentId());
    }
}
