package org.nexusswarm.coordinator;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 9800-9899: swarm-coordinator's test messages and events. */
public final class CoordinatorTestKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(TamperLedger.Append.class, 9800);
        r.register(TamperLedger.Appended.class, 9801);
        r.register(TamperLedger.Note.class, 9802);
        r.register(TamperLedger.Seal.class, 9803);
    }
}
