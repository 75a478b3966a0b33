package org.nexusswarm.safety.internal.durable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.safety.api.monitor.KillTarget;

/**
 * The safety ledgers' journal records as bytes (format-k4-durable/, written by the build that introduced them, Kryo
 * ids 1224, 1225, 1229, 1234, 1235): they still read, replay into the state a restarted cluster enforces, and the
 * current build writes them byte for byte the same (a changed field layout fails here; add a new record instead).
 */
class DurableStoredFormatTest {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();
    private static final String ALICE = "did:nexus:O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik";
    private static final String BOB = "did:nexus:2n0bOBn4mtn7Gbe0r0wD5rJ8mR3jVw2XG9tQQb1bq0Y";

    @Test
    void killSwitchEventsReadAndReplay() throws IOException {
        var engaged = (KillSwitchLedger.Engaged) read("kill-switch-engaged.b64");
        assertEquals(new KillSwitchLedger.Engaged("RAIL", "drought-watch", "operator:alice", "flood", ALICE,
                "jti-engage-1", 1764750000000L), engaged);
        assertEquals(KillTarget.rail("drought-watch"), engaged.target());
        var released = (KillSwitchLedger.Released) read("kill-switch-released.b64");
        assertEquals(new KillSwitchLedger.Released("RAIL", "drought-watch", "node:kill-switch:lift-1",
                "operator:alice", 1764750060000L), released);

        KillSwitchLedger.State state = KillSwitchLedger.State.EMPTY.apply(engaged);
        assertEquals(List.of(engaged), state.engaged());
        state = state.apply(released);
        assertEquals(List.of(), state.engaged());
        assertEquals(java.util.Set.of("node:kill-switch:lift-1"), state.usedApprovals());
        sameBytes("kill-switch-engaged.b64", engaged);
        sameBytes("kill-switch-released.b64", released);
    }

    @Test
    void revocationEventsReadAndReplay() throws IOException {
        var revoked = (RevocationLedger.Revoked) read("credential-revoked.b64");
        assertEquals(new RevocationLedger.Revoked("cred-7", "operator:alice", "key leaked", ALICE, "jti-revoke-1",
                1764750120000L), revoked);
        assertEquals(java.util.Set.of("cred-7"), RevocationLedger.State.EMPTY.apply(revoked).revoked());
        sameBytes("credential-revoked.b64", revoked);
    }

    @Test
    void operatorEventsReadAndReplay() throws IOException {
        var admitted = (OperatorLedger.OperatorAdmitted) read("operator-admitted.b64");
        assertEquals(new OperatorLedger.OperatorAdmitted(BOB, "operator:bob", "operator:alice", "jti-admit-1",
                1764750180000L), admitted);
        var removed = (OperatorLedger.OperatorRemoved) read("operator-removed.b64");
        assertEquals(new OperatorLedger.OperatorRemoved(BOB, "operator:alice", "jti-remove-1", 1764750240000L),
                removed);
        OperatorLedger.State state = OperatorLedger.State.EMPTY.apply(admitted);
        assertEquals(Map.of(BOB, "operator:bob"), state.operators());
        assertEquals(Map.of(), state.apply(removed).operators());
        sameBytes("operator-admitted.b64", admitted);
        sameBytes("operator-removed.b64", removed);
    }

    private static Object read(String name) throws IOException {
        return KRYO.fromBytes(fixture(name));
    }

    private static void sameBytes(String name, Object event) throws IOException {
        assertArrayEquals(fixture(name), KRYO.toBytes(event), name + " is written in the stored layout");
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = DurableStoredFormatTest.class.getResourceAsStream("/format-k4-durable/" + name)) {
            return Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
