package org.nexusswarm.orchestrators;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 500-599: the orchestrator protocol. Never renumber. */
public final class OrchestratorKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(ComputeRequest.class, 500);
        r.register(ComputeResult.class, 501);
    }
}
