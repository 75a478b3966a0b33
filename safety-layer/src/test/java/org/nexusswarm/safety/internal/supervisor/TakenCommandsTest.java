package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** The operator commands a supervisor took: kept until well past their expiry, bounded, stored in snapshots. */
class TakenCommandsTest {

    private static final long T0 = 1_780_000_000_000L;

    @Test
    void anEntryIsKeptPastItsExpiryByTheMarginThenPrunedByTheNextTake() {
        TakenCommands taken = TakenCommands.NONE.take("a", T0 + 60_000, T0);
        long justKept = T0 + 60_000 + TakenCommands.KEEP_AFTER_EXPIRY_MILLIS;
        assertEquals(Set.of("a", "b"), taken.take("b", justKept + 60_000, justKept).expiries().keySet());
        assertEquals(Set.of("b"), taken.take("b", justKept + 60_000, justKept + 1).expiries().keySet());
    }

    @Test
    void aFullSetHasNoRoomUntilEntriesExpire() {
        TakenCommands taken = TakenCommands.NONE;
        for (int i = 0; i < TakenCommands.MAX; i++) {
            taken = taken.take("jti-" + i, T0 + 60_000 + i, T0);
        }
        assertFalse(taken.hasRoom(T0), "a supervisor refuses more than it can remember (fail closed)");
        assertTrue(taken.hasRoom(T0 + 60_000 + TakenCommands.KEEP_AFTER_EXPIRY_MILLIS + 1));
        assertTrue(taken.contains("jti-0"));
        assertFalse(taken.contains(null));
    }

    @Test
    void itCrossesTheSerializer() {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        TakenCommands taken = TakenCommands.NONE.take("a", T0, T0);
        assertEquals(taken, kryo.fromBytes(kryo.toBytes(taken)));
    }
}
