package org.nexusswarm.packs.climate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

class ClimateKryoTest {

    private final SwarmKryo kryo = SwarmKryo.withoutActorRefs();

    @Test
    void payloadsRoundTrip() {
        for (Object payload : List.of(
                new SoilMoistureReading("sahel-cell-07", 12.5, 38.2, 4),
                new DroughtAlert("sahel-cell-07", "agent:drought-watch.agent-007", 0.83, 4, "ab".repeat(32)),
                new DivertWater("sahel-cell-09", 250.0))) {
            assertEquals(payload, kryo.fromBytes(kryo.toBytes(payload)));
        }
    }

    @Test
    void idsAreFixed() {
        assertEquals(Optional.of(600), kryo.idOf(SoilMoistureReading.class));
        assertEquals(Optional.of(601), kryo.idOf(DroughtAlert.class));
        assertEquals(Optional.of(602), kryo.idOf(DivertWater.class));
    }
}
