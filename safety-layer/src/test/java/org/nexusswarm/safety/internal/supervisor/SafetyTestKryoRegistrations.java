package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 9000-9099: the safety-layer tests' payloads. */
public final class SafetyTestKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(TestPayloads.Note.class, 9000);
        r.register(TestPayloads.Act.class, 9001);
        r.register(TestPayloads.LogicStarted.class, 9002);
        r.register(TestPayloads.Crash.class, 9003);
        r.register(org.nexusswarm.actors.spi.AgentInput.Inbound.class, 9004);
        r.register(org.nexusswarm.actors.spi.AgentInput.Outcome.class, 9005);
        // Policy reads the payload (issue 8, ids of this helper's range).
        r.register(TestPayloads.Measured.class, 1145);
        r.register(TestPayloads.Divert.class, 1146);
        r.register(TestPayloads.Lie.class, 1147);
        r.register(TestPayloads.Burst.class, 1148);
        r.register(TestPayloads.Inflated.class, 1149);
    }
}
