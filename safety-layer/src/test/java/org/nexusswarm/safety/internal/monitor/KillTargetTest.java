package org.nexusswarm.safety.internal.monitor;

import org.nexusswarm.safety.api.monitor.KillOrder;
import org.nexusswarm.safety.api.monitor.KillTarget;

import org.nexusswarm.safety.internal.monitor.KillSwitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** Kill targets, signed kill orders and the kill switch's element encoding. */
class KillTargetTest {

    private final SwarmKeyPair operator = Ed25519.generate();

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
    void aSignedOrderVerifiesAndEveryFieldIsCovered() {
        KillOrder.Signed signed = KillOrder.sign(operator, KillTarget.rail("drought-watch"), "flooding", 1000);
        KillOrder order = signed.order();
        assertTrue(order.verifies(signed.signature()));
        byte[] sig = signed.signature();
        String did = order.operatorDid();
        for (KillOrder changed : new KillOrder[] {
            new KillOrder(KillTarget.pack("drought-watch"), "flooding", did, 1000),
            new KillOrder(KillTarget.rail("drought-watcH"), "flooding", did, 1000),
            new KillOrder(order.target(), "flooding!", did, 1000),
            new KillOrder(order.target(), "flooding", Ed25519.generate().did().value(), 1000),
            new KillOrder(order.target(), "flooding", did, 1001)}) {
            assertFalse(changed.verifies(sig), changed.toString());
        }
        assertFalse(order.verifies(Ed25519.generate().sign(order.signedBytes())), "another key's signature");
        assertFalse(order.verifies(new byte[0]));
        assertFalse(order.verifies(null));
        sig[0] ^= 1;
        assertTrue(order.verifies(signed.signature()), "the signature is copied out");
    }

    @Test
    void malformedOrdersAreRefused() {
        KillTarget t = KillTarget.rail("r");
        String did = operator.did().value();
        assertThrows(IllegalArgumentException.class, () -> new KillOrder(null, "why", did, 1));
        assertThrows(IllegalArgumentException.class, () -> new KillOrder(t, null, did, 1));
        assertThrows(IllegalArgumentException.class, () -> new KillOrder(t, " ", did, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new KillOrder(t, "x".repeat(KillOrder.MAX_REASON_CHARS + 1), did, 1));
        assertThrows(IllegalArgumentException.class, () -> new KillOrder(t, "why", "not-a-did", 1));
        assertThrows(IllegalArgumentException.class, () -> new KillOrder(t, "why", null, 1));
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
