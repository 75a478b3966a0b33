package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.KillTarget;

import org.nexusswarm.safety.internal.monitor.KillSwitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** Kill targets and the kill switch's element encoding (orders are signed operator commands: package operator). */
class KillTargetTest {

    @Test
    void eachScopeCoversWhatItNames() {
        assertTrue(KillTarget.entity("agent:x").covers("agent:x", "r", "p"));
        assertFalse(KillTarget.entity("agent:x").covers("agent:y", "agent:x", "agent:x"));
        assertTrue(KillTarget.rail("r").covers("agent:x", "r", "p"));
        assertFalse(KillTarget.rail("r").covers("r", "other", "r"));
        assertTrue(KillTarget.pack("p").covers("agent:x", "r", "p"));
        assertFalse(KillTarget.pack("p").covers("agent:x", "r", null));
        assertFalse(KillTarget.rail("r").covers(null, null, null));
        assertEquals("RAIL r", KillTarget.rail("r").toString());
    }

    @Test
    void malformedTargetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KillTarget(null, "x"));
        for (String bad : new String[] {null, "", "  ", "a|b", "a\nb", "x".repeat(KillTarget.MAX_NAME_CHARS + 1)}) {
            assertThrows(IllegalArgumentException.class, () -> KillTarget.entity(bad), String.valueOf(bad));
        }
        assertEquals(KillTarget.MAX_NAME_CHARS, KillTarget.pack("x".repeat(KillTarget.MAX_NAME_CHARS)).name().length());
    }

    @Test
    void engagementsRoundTripThroughTheirElementEncoding() {
        KillSwitch.Engagement e = new KillSwitch.Engagement(KillTarget.entity("agent:x"), "operator:alice",
                "reason with | bars | inside");
        assertEquals(Optional.of(e), KillSwitch.decode(KillSwitch.encode(e)));
        assertEquals(Optional.empty(), KillSwitch.decode("garbage"));
        assertEquals(Optional.empty(), KillSwitch.decode("MOON|x|op|why"));
        assertEquals(Optional.empty(), KillSwitch.decode("RAIL||op|why"));
    }

    @Test
    void targetsAndChangesSurviveKryo() {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        KillSwitch.Changed changed = new KillSwitch.Changed(Set.of(KillTarget.rail("r"), KillTarget.entity("agent:x")));
        assertEquals(changed, kryo.fromBytes(kryo.toBytes(changed)));
        assertEquals(new KillSwitch.Changed(Set.of()), kryo.fromBytes(kryo.toBytes(new KillSwitch.Changed(null))));
        for (KillTarget.Scope scope : KillTarget.Scope.values()) {
            KillTarget t = new KillTarget(scope, "n-é");
            assertEquals(t, kryo.fromBytes(kryo.toBytes(t)));
        }
    }
}
