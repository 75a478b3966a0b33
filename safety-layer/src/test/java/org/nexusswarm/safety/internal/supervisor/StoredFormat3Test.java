package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;

/**
 * Snapshots written in stored format 3 (supervisor memory without held intents and operator commands taken) still
 * recover, holding nothing and having taken nothing. The fixtures in {@code format-k3/} are real bytes written by
 * the build before format 4 (a throttled entity, and the same entity after an operator kill).
 */
class StoredFormat3Test {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();

    @Test
    void snapshotsOfFormat3RecoverHoldingNothingAndHavingTakenNothing() throws IOException {
        SupervisorState.Active active = assertInstanceOf(SupervisorState.Active.class,
                KRYO.fromBytes(fixture("snapshot-active.b64"), 3));
        assertEquals(EscalationLevel.THROTTLE, active.memory().escalation());
        assertTrue(active.memory().stats().throttle().active());
        assertEquals("probe-logic-1|cred-2", active.memory().started());
        assertEquals(List.of(), active.memory().held());
        assertEquals(TakenCommands.NONE, active.memory().taken());

        SupervisorState.Quarantined quarantined = assertInstanceOf(SupervisorState.Quarantined.class,
                KRYO.fromBytes(fixture("snapshot-quarantined.b64"), 3));
        assertEquals(13, quarantined.chain().sequence());
        assertEquals("fixture", quarantined.reason());
        assertEquals(List.of(), quarantined.memory().held());

        // And the recovered state goes on applying events of the current format.
        long at = quarantined.memory().stats().throttle().sinceMillis() + 1000;
        SupervisorState next = quarantined.apply(new SafetyEvent.OperatorCommandTaken(new Chronotope(at, 14, 1, "p", "",
                quarantined.chain().lastHash(), List.of(), "", ""), "kill", "jti-1", "operator:ops", at + 60_000));
        assertTrue(next.memory().taken().contains("jti-1"));
    }

    @Test
    void theFormat3BytesDoNotReadAsFormat4SoTheLegacyReaderIsNeeded() throws IOException {
        boolean misread;
        try {
            Object o = KRYO.fromBytes(fixture("snapshot-active.b64"));
            misread = !(o instanceof SupervisorState.Active a) || a.memory().escalation() != EscalationLevel.THROTTLE;
        } catch (RuntimeException e) {
            misread = true;
        }
        assertTrue(misread, "format 3 bytes must not read as format 4: the fixture would prove nothing");
        assertFalse(SwarmKryo.FORMAT < 4);
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StoredFormat3Test.class.getResourceAsStream("/format-k3/" + name)) {
            return Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
