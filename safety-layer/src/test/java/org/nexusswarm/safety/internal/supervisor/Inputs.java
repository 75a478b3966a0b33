package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.spi.AgentInput;

/** Expectations on what a test logic was fed, ignoring the journaled time (checked to be set). */
final class Inputs {

    private Inputs() {}

    static AgentInput.Outcome expectOutcome(TestProbe<AgentInput> probe, String intentId, boolean allowed,
            String reason) {
        AgentInput.Outcome o = probe.expectMessageClass(AgentInput.Outcome.class);
        assertEquals(new AgentInput.Outcome(intentId, allowed, reason, o.atMillis()), o);
        assertTrue(o.atMillis() > 0, "an outcome carries the decision's journaled time");
        return o;
    }

    static AgentInput.Inbound expectInbound(TestProbe<AgentInput> probe, String from, SwarmMessage payload) {
        AgentInput.Inbound in = probe.expectMessageClass(AgentInput.Inbound.class);
        assertEquals(new AgentInput.Inbound(from, payload, in.atMillis()), in);
        assertTrue(in.atMillis() > 0, "an input carries the Observed event's journaled time");
        return in;
    }
}
