package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.spi.testing.LogicStepper;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.AgentInput;

class RailNodeLogicTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("RailNodeLogicTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void ledgerCountsAlertsPerCell() {
        AlertLedger ledger = AlertLedger.EMPTY
                .record(alert("sahel-cell-01"))
                .record(alert("sahel-cell-04"))
                .record(alert("sahel-cell-01"));
        assertEquals(3, ledger.total());
        assertEquals(Map.of("sahel-cell-01", 2, "sahel-cell-04", 1), ledger.byCell());
        assertEquals(0, AlertLedger.EMPTY.total());
    }

    @Test
    void takesAlertsAndOtherInputWithoutActing() {
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> node = LogicStepper.start(RailNodeLogic.logic(), DroughtWatchRail.node(), "sahel", outbox);
        node.tell(new AgentInput.Inbound(DroughtWatchRail.agent(1).toString(), alert("sahel-cell-01"), LogicStepper.T));
        node.tell(new AgentInput.Inbound(DroughtWatchRail.agent(99).toString(), new DivertWater("sahel-cell-09", 10), LogicStepper.T));
        node.tell(new AgentInput.Outcome("x", false, "n/a", LogicStepper.T));
        // The node's credential allows no actions, so it must never propose one.
        outbox.expectNone();
    }

    private static DroughtAlert alert(String cell) {
        return new DroughtAlert(cell, DroughtWatchRail.agent(1).toString(), 0.8, 0, "ab".repeat(32));
    }
}
