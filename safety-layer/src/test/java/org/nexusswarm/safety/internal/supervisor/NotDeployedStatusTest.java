package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.safety.api.SafetyLayer;

/** The stand-in's status is told apart from a deployed entity's without anyone parsing its text. */
class NotDeployedStatusTest {

    private final EntityAddress a = EntityAddress.of(EntityKind.AGENT, "x.agent-001");

    @Test
    void onlyTheStandInsOwnStatusCounts() {
        assertTrue(SafetyLayer.notDeployed(new EntityStatus(a, false, 0, 0, NotDeployed.detail(a))));
        assertFalse(SafetyLayer.notDeployed(new EntityStatus(a, false, 0, 0, "")), "a fresh deployed entity");
        assertFalse(SafetyLayer.notDeployed(new EntityStatus(a, false, 0, 3, NotDeployed.detail(a))),
                "a journaled entity whose reason merely reads the same");
        EntityAddress other = EntityAddress.of(EntityKind.AGENT, "x.agent-002");
        assertFalse(SafetyLayer.notDeployed(new EntityStatus(a, false, 0, 0, NotDeployed.detail(other))),
                "the stand-in text of another id");
    }
}
