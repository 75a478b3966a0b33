package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Act;

/**
 * Red team (found by review): the strings a logic chooses are journaled. An intent id of 100,000 characters is
 * refused OVERSIZED and journaled clipped, so a logic cannot inflate its journal (64 such intents per step).
 */
class OversizedIntentTest {

    private static final String COMPUTE = "compute.request";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.ORCHESTRATOR, "orc-1");
    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("OversizedIntentTest", "nexus.swarm.safety.max-denials = 50");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @Test
    void anOverlongIntentIdIsRefusedAndJournaledClipped() {
        h.reset();
        Running r = h.run(List.of(COMPUTE));
        h.deliver(r, h.fixture.fromOperator(r.address(), new Act("i".repeat(100_000), COMPUTE, TARGET, "go")));
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        AgentInput.Outcome outcome = r.entity().inputs().expectMessageClass(AgentInput.Outcome.class);
        assertFalse(outcome.allowed());
        assertTrue(outcome.reason().startsWith("OVERSIZED"), outcome.reason());
        assertTrue(h.last(r, ActionProposed.class).intentId().length() <= 201);
        assertTrue(h.last(r, ActionDenied.class).intentId().length() <= 201);
        h.router.expectNoMessage(Duration.ofMillis(200));
        assertEquals(COMPUTE, h.last(r, ActionProposed.class).actionClass());
    }
}
