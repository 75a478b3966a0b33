package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/** Kryo ids 600-619: the climate pack's payloads. Never renumber. */
public final class ClimateKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(SoilMoistureReading.class, 600);
        r.register(DroughtAlert.class, 601);
        r.register(DivertWater.class, 602);
    }
}
