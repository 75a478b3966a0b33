package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.spi.testing.LogicStepper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.delegators.DelegatorLogic;
import org.nexusswarm.orchestrators.OrchestratorLogic;
import org.nexusswarm.packs.Packs;

/** The climate pack rebuilds the logics its journals name, for replays. */
class ClimatePackLogicTest {

    private final ClimatePack pack = new ClimatePack();

    @Test
    void everyRebuildableVersionIsFoundAndTheRestIsNot() {
        for (String version : new String[] {DroughtWatchAgentLogic.VERSION, RogueAgentLogic.VERSION,
                RailNodeLogic.VERSION, DelegatorLogic.VERSION}) {
            assertEquals(version, pack.logic(version).orElseThrow().version());
        }
        assertTrue(pack.logic(OrchestratorLogic.VERSION).isEmpty(), "its rail options are not recorded");
        assertTrue(pack.logic(DelegatorLogic.FAULTY_VERSION).isEmpty(), "its bias is not recorded");
        assertTrue(pack.logic("drought-watch-agent/0").isEmpty());
        assertTrue(Packs.discover().stream().anyMatch(p -> p.logic(DroughtWatchAgentLogic.VERSION).isPresent()));
    }

    @Test
    void aRebuiltLogicDeclaresTheSamePayloadsAsTheDeployedOne() {
        // A replay reads an intent's parameters through the rebuilt logic's declarations: they must be the same.
        EntityAddress node = DroughtWatchRail.node("x");
        assertEquals(DroughtWatchAgentLogic.logic(node, node).payloads(),
                pack.logic(DroughtWatchAgentLogic.VERSION).orElseThrow().payloads());
        assertEquals(RogueAgentLogic.logic(node).payloads(), pack.logic(RogueAgentLogic.VERSION).orElseThrow().payloads());
        assertEquals(RailNodeLogic.logic().payloads(), pack.logic(RailNodeLogic.VERSION).orElseThrow().payloads());
        assertEquals(DelegatorLogic.logic().payloads(), pack.logic(DelegatorLogic.VERSION).orElseThrow().payloads());
        assertTrue(!pack.logic(DroughtWatchAgentLogic.VERSION).orElseThrow().payloads().isEmpty());
    }

    @Test
    void aRebuiltAgentTalksToTheOrchestratorOfItsOwnRailInstance() {
        String instance = "drought-watch-20261121t0730";
        EntityAddress agent = DroughtWatchRail.agent(instance, 3);
        LogicStepper.Outbox outbox = new LogicStepper.Outbox();
        LogicStepper<?> kit = LogicStepper.start(pack.logic(DroughtWatchAgentLogic.VERSION).orElseThrow(), agent,
                "sahel-cell-03", outbox);
        kit.tell(new AgentInput.Inbound(DroughtWatchRail.SENSOR_FEED,
                new SoilMoistureReading("sahel-cell-03", 9.5, 41.0, 1), LogicStepper.T));
        Intent intent = outbox.next();
        assertEquals(DroughtWatchAgentLogic.COMPUTE_ACTION, intent.actionClass());
        assertEquals(DroughtWatchRail.orchestrator(instance), intent.target());
    }
}
