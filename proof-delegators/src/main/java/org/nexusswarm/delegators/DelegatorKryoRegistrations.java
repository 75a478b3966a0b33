package org.nexusswarm.delegators;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 400-499: the delegator protocol. Never renumber. */
public final class DelegatorKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(TaskRequest.class, 400);
        r.register(TaskResult.class, 401);
    }
}
