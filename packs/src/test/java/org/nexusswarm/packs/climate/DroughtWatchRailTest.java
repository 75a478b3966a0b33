package org.nexusswarm.packs.climate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.delegators.TaskRequest;
import org.nexusswarm.delegators.TaskRuntime;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;

class DroughtWatchRailTest {

    private final RailBlueprint rail = Packs.find("climate").rail("drought-watch", RailOptions.defaults());

    @Test
    void hasTheDefaultShape() {
        assertEquals("drought-watch", rail.name());
        assertEquals("climate", rail.pack());
        assertEquals(1, rail.byKind(EntityKind.NODE).size());
        assertEquals(3, rail.byKind(EntityKind.DELEGATOR).size());
        assertEquals(1, rail.byKind(EntityKind.ORCHESTRATOR).size());
        assertEquals(100, rail.byKind(EntityKind.AGENT).size());
        assertEquals(105, rail.entities().size());

        EntityBlueprint node = rail.entity(EntityAddress.parse("node:drought-watch.node-0")).orElseThrow();
        assertEquals("rail-node", node.role());
        assertEquals(List.of(), node.allowedActions());
        assertEquals(List.of("task.result"),
                rail.entity(EntityAddress.parse("delegator:drought-watch.delegator-2")).orElseThrow().allowedActions());
        assertEquals(List.of("task.dispatch", "compute.result"),
                rail.entity(EntityAddress.parse("orchestrator:drought-watch.orchestrator-0")).orElseThrow().allowedActions());
    }

    @Test
    void theLastAgentIsTheRogueWithTheSameCredential() {
        List<EntityBlueprint> agents = rail.byKind(EntityKind.AGENT);
        List<EntityBlueprint> rogues = agents.stream().filter(a -> a.role().equals("rogue-agent")).toList();
        assertEquals(1, rogues.size());
        assertEquals(EntityAddress.parse("agent:drought-watch.agent-099"), rogues.get(0).address());
        assertEquals(RogueAgentLogic.VERSION, rogues.get(0).logic().version());
        for (EntityBlueprint a : agents) {
            assertEquals(List.of("compute.request", "alert.raise"), a.allowedActions());
            assertFalse(a.allows(RogueAgentLogic.DIVERT_ACTION));
        }
        assertEquals(99, agents.stream().filter(a -> a.role().equals("agent")).count());
    }

    @Test
    void agentsAreSpreadOverTenCells() {
        Set<String> places = rail.byKind(EntityKind.AGENT).stream().map(EntityBlueprint::place).collect(Collectors.toSet());
        assertEquals(10, places.size());
        assertTrue(places.contains("sahel-cell-07"));
        assertEquals("sahel-cell-07", rail.entity(DroughtWatchRail.agent(7)).orElseThrow().place());
    }

    @Test
    void unknownRailNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClimatePack().rail("flood-watch", RailOptions.defaults()));
        assertTrue(e.getMessage().contains("drought-watch"), e.getMessage());
    }

    @Test
    void smallerRailsFollowTheOptions() {
        RailBlueprint small = new ClimatePack().rail("drought-watch", new RailOptions(4, 5, 2, 3, 3, 7L));
        assertEquals(4, small.byKind(EntityKind.AGENT).size());
        assertEquals(5, small.byKind(EntityKind.DELEGATOR).size());
        assertEquals(2, small.entities().stream().filter(e -> e.role().equals("rogue-agent")).count());
        assertEquals(4, small.signals().round(0).size());
    }

    @Test
    void signalScriptIsDeterministicForASeed() {
        RailBlueprint again = new ClimatePack().rail("drought-watch", RailOptions.defaults());
        // Ask in a different order: rounds are independent of each other.
        List<Signal> round3 = again.signals().round(3);
        assertEquals(rail.signals().round(0), again.signals().round(0));
        assertEquals(rail.signals().round(3), round3);
        assertNotEquals(rail.signals().round(0), rail.signals().round(1));
        RailBlueprint otherSeed = new ClimatePack().rail("drought-watch", RailOptions.defaults().withSeed(7));
        assertNotEquals(rail.signals().round(0), otherSeed.signals().round(0));
        assertEquals(DroughtWatchRail.SENSOR_FEED, rail.signals().source());
    }

    @Test
    void everyAgentGetsOneReadingPerRoundAndDryCellsRaiseAlerts() {
        List<Signal> signals = rail.signals().round(0);
        assertEquals(100, signals.size());
        assertEquals(100, signals.stream().map(Signal::target).distinct().count());
        Set<String> dry = ((SoilSensorScript) rail.signals()).dryCells();
        assertEquals(3, dry.size());
        for (Signal s : signals) {
            SoilMoistureReading r = (SoilMoistureReading) s.payload();
            assertEquals(rail.entity(s.target()).orElseThrow().place(), r.cell());
            assertEquals(0, r.day());
            double index = TaskRuntime.standard().run(new TaskRequest("t", TaskRuntime.DROUGHT_INDEX,
                    List.of(r.moisturePct(), r.temperatureC()), 100), "d").value();
            // The script's ranges make the alert decision a function of the cell alone.
            assertEquals(dry.contains(r.cell()), index > DroughtWatchAgentLogic.DEFAULT_ALERT_THRESHOLD,
                    r + " -> " + index);
        }
    }
}
