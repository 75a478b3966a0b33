package org.nexusswarm.safety.api.replay;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 9050-9059 (within the safety-layer tests' 9000-9099): the replay tests' payloads. */
public final class ReplayTestKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(TestLogic.Ping.class, 9050);
    }
}
