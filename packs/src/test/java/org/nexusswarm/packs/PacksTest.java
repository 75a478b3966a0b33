package org.nexusswarm.packs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentLogic;

class PacksTest {

    @Test
    void discoversTheClimatePack() {
        List<Pack> packs = Packs.discover();
        assertTrue(packs.stream().anyMatch(p -> p.name().equals("climate")), packs.toString());
        Pack climate = Packs.find("climate");
        assertEquals(List.of("drought-watch"), climate.railNames());
        assertTrue(!climate.description().isBlank());
    }

    @Test
    void unknownPackNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Packs.find("energy"));
        assertTrue(e.getMessage().contains("energy") && e.getMessage().contains("climate"), e.getMessage());
    }

    @Test
    void railOptionsDefaultsAndValidation() {
        assertEquals(new RailOptions(100, 3, 1, 3, 2, 42L), RailOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> new RailOptions(0, 3, 0, 3, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RailOptions(5, 3, 6, 3, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RailOptions(5, 2, 0, 3, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RailOptions(5, 3, 0, 3, 4, 1));
    }

    @Test
    void railBlueprintRejectsDuplicatesAndIndexesByKind() {
        AgentLogic<?> noop = org.nexusswarm.packs.climate.RailNodeLogic.logic();
        EntityBlueprint a = new EntityBlueprint(EntityAddress.of(EntityKind.AGENT, "r.a"), "p", "agent", List.of(), noop);
        EntityBlueprint n = new EntityBlueprint(EntityAddress.of(EntityKind.NODE, "r.n"), "p", "rail-node", List.of(), noop);
        SignalScript none = round -> List.of();
        assertThrows(IllegalArgumentException.class, () -> new RailBlueprint("r", "x", List.of(a, a), none));
        RailBlueprint rail = new RailBlueprint("r", "x", List.of(a, n), none);
        assertEquals(List.of(n), rail.byKind(EntityKind.NODE));
        assertEquals(a, rail.entity(a.address()).orElseThrow());
        assertTrue(rail.entity(EntityAddress.of(EntityKind.AGENT, "r.b")).isEmpty());
    }
}
