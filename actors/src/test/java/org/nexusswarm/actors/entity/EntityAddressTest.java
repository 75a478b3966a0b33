package org.nexusswarm.actors.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntityAddressTest {

    @Test
    void parsesAndPrintsKindColonId() {
        EntityAddress a = EntityAddress.parse("agent:drought-watch.agent-007");
        assertEquals(EntityAddress.of(EntityKind.AGENT, "drought-watch.agent-007"), a);
        assertEquals("agent:drought-watch.agent-007", a.toString());
        assertEquals(a, EntityAddress.parse(a.toString()));
        assertEquals("agent|drought-watch.agent-007", a.persistenceId());
        assertEquals("node:a:b", EntityAddress.parse("NODE:a:b").toString(), "only the first colon separates");
    }

    @Test
    void rejectsMalformedAddresses() {
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.parse("agent"));
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.parse(":x"));
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.parse(null));
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.parse("robot:x"));
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.parse("agent: "));
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.of(EntityKind.AGENT, "a|b"));
        assertThrows(IllegalArgumentException.class, () -> EntityAddress.of(null, "a"));
    }
}
