package org.nexusswarm.memory.chronotope;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 200-299: the chronotope model. Never renumber. */
public final class MemoryKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(Chronotope.class, 200);
        r.evolved(Chronotope.class, 200, 1, Chronotope.V1.class, Chronotope.V1::upgrade);
    }
}
