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
    }
}
