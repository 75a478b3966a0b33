package org.nexusswarm.delegators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

class DelegatorKryoTest {

    private final SwarmKryo kryo = SwarmKryo.withoutActorRefs();

    @Test
    void payloadsRoundTrip() {
        for (Object payload : List.of(
                new TaskRequest("r/0", "drought-index", List.of(12.5, 38.0), 100),
                new TaskRequest("r/1", "mean", List.of(), 0),
                new TaskResult("r/0", "mean", 1.5, "ab".repeat(32), 3, true, "delegator:d-0"),
                new TaskResult("r/0", "mean", Double.NaN, "cd".repeat(32), 1, false, "delegator:d-1"))) {
            assertEquals(payload, kryo.fromBytes(kryo.toBytes(payload)));
        }
    }

    @Test
    void idsAreFixed() {
        assertEquals(Optional.of(400), kryo.idOf(TaskRequest.class));
        assertEquals(Optional.of(401), kryo.idOf(TaskResult.class));
    }
}
