package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Inflated;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Lie;

/**
 * Red team (found by review): a payload record whose accessor is not its field. Encoding runs the accessor, so a
 * policy that read the field would judge 40 MW while the recipient decodes 40,000. The supervisor reads the
 * parameters from the payload as its recipient decodes the bytes it sends: 40,000 is judged, denied, not sent.
 */
class AccessorLieTest {

    private static final String SHED = "grid.shed-load";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-8");
    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("AccessorLieTest", "nexus.swarm.safety.max-denials = 50");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @Test
    void policyJudgesWhatTheRecipientWillDecodeNotTheRecordsField() {
        h.reset();
        h.fixture.usePolicies(SafetyFixture.policy(30, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"grid.shed-load\", parameters { mw { min = 0, max = 50 } } }\n}\n"
                + "monitors { envelope-drift { warn = 5 } }"));
        Running r = h.run(List.of(SHED));
        // The operator's message crosses the serializer too: 0.04 arrives at the logic as a field of 40.
        Lie lie = new Lie("inflate-1", SHED, TARGET, Map.of(), new Inflated("shed", 0.04, null));
        assertInstanceOf(org.nexusswarm.actors.protocol.DeliveryReply.Accepted.class,
                h.deliver(r, h.fixture.fromOperator(r.address(), lie)).reply());
        r.entity().inputs().expectMessageClass(AgentInput.Inbound.class);
        AgentInput.Outcome outcome = r.entity().inputs().expectMessageClass(AgentInput.Outcome.class);

        assertFalse(outcome.allowed(), "40 in the field, 40,000 on the wire: " + outcome.reason());
        assertTrue(outcome.reason().startsWith("OUT_OF_ENVELOPE"), outcome.reason());
        assertEquals(Map.of("mw", 40_000.0), h.last(r, ActionProposed.class).parameters(),
                "the journal records what would have travelled");
        h.router.expectNoMessage(Duration.ofMillis(200));
    }
}
