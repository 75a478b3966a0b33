package org.nexusswarm.orchestrators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

class OrchestratorKryoTest {

    private final SwarmKryo kryo = SwarmKryo.withoutActorRefs();

    @Test
    void payloadsRoundTrip() {
        for (Object payload : List.of(
                new ComputeRequest("agent-1/day-0/1", "drought-index", List.of(12.5, 38.0), 1000),
                new ComputeResult("r", true, 0.82, "ab".repeat(32), 2, 3, List.of("delegator:rail.delegator-0")),
                new ComputeResult("r", false, Double.NaN, "", 1, 3, List.of()))) {
            assertEquals(payload, kryo.fromBytes(kryo.toBytes(payload)));
        }
    }

    @Test
    void idsAreFixed() {
        assertEquals(Optional.of(500), kryo.idOf(ComputeRequest.class));
        assertEquals(Optional.of(501), kryo.idOf(ComputeResult.class));
    }
}
