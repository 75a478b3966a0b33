package org.nexusswarm.actors.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.serialization.SwarmKryo;

class SignedEnvelopeTest {

    private final SwarmKeyPair keys = Ed25519.generate();
    private final SignedEnvelope envelope =
            SignedEnvelope.sign(keys, "agent:a", "agent:b", 41, 1_234_567L << 16, new byte[] {1, 2, 3});

    private static boolean verifies(SwarmKeyPair keys, SignedEnvelope e) {
        return Ed25519.verify(keys.publicKey(), e.signedBytes(), e.signature());
    }

    @Test
    void aSignedEnvelopeVerifiesWithTheSendersKey() {
        assertTrue(envelope.isSigned());
        assertEquals(keys.did().value(), envelope.senderDid());
        assertTrue(verifies(keys, envelope));
        assertFalse(verifies(Ed25519.generate(), envelope));
    }

    @Test
    void theSignatureCoversEveryFieldButItself() throws Exception {
        RecordComponent[] components = SignedEnvelope.class.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<SignedEnvelope> constructor = SignedEnvelope.class.getDeclaredConstructor(types);
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals("signature")) {
                continue;
            }
            Object[] args = new Object[components.length];
            for (int j = 0; j < components.length; j++) {
                args[j] = components[j].getAccessor().invoke(envelope);
            }
            args[i] = changed(args[i]);
            SignedEnvelope tampered = constructor.newInstance(args);
            assertFalse(verifies(keys, tampered), "changing " + components[i].getName() + " must break the signature");
            assertFalse(Arrays.equals(envelope.signedBytes(), tampered.signedBytes()), components[i].getName());
            assertNotEquals(envelope, tampered);
            checked.add(components[i].getName());
        }
        assertEquals(List.of("senderDid", "sender", "recipient", "nonce", "hlc", "payload"), checked);
    }

    @Test
    void fieldBoundariesAreUnambiguous() {
        // Moving characters between adjacent fields must change the signed bytes (length prefixes).
        SignedEnvelope a = SignedEnvelope.sign(keys, "agent:ab", "c", 1, 1, new byte[0]);
        SignedEnvelope b = new SignedEnvelope(a.senderDid(), "agent:a", "bc", 1, 1, new byte[0], a.signature());
        assertFalse(Arrays.equals(a.signedBytes(), b.signedBytes()));
        assertFalse(verifies(keys, b));
    }

    @Test
    void aReplacedOrStrippedSignatureDoesNotVerify() {
        SignedEnvelope foreign = envelope.withSignature(Ed25519.generate().sign(envelope.signedBytes()));
        assertFalse(verifies(keys, foreign));
        SignedEnvelope stripped = envelope.withSignature(null);
        assertFalse(stripped.isSigned());
        assertEquals(0, stripped.signature().length);
        assertFalse(verifies(keys, stripped));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        byte[] payload = {10, 20, 30};
        SignedEnvelope e = SignedEnvelope.sign(keys, "agent:a", "agent:b", 1, 2, payload);
        payload[0] = 99;
        assertArrayEquals(new byte[] {10, 20, 30}, e.payload(), "mutating the caller's array changes nothing");
        e.payload()[1] = 99;
        assertArrayEquals(new byte[] {10, 20, 30}, e.payload(), "mutating a returned array changes nothing");
        byte[] signature = e.signature();
        signature[0] ^= 1;
        assertTrue(verifies(keys, e));
        byte[] fresh = keys.sign(e.signedBytes());
        SignedEnvelope withFresh = e.withSignature(fresh);
        fresh[0] ^= 1;
        assertTrue(verifies(keys, withFresh));
        assertEquals(3, e.payloadSize());
    }

    @Test
    void equalityFollowsContentAndSurvivesKryo() {
        SignedEnvelope same = new SignedEnvelope(envelope.senderDid(), envelope.sender(), envelope.recipient(),
                envelope.nonce(), envelope.hlc(), envelope.payload(), envelope.signature());
        assertEquals(envelope, same);
        assertEquals(envelope.hashCode(), same.hashCode());
        assertNotEquals(envelope, envelope.withSignature(new byte[64]));
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        SignedEnvelope copy = (SignedEnvelope) kryo.fromBytes(kryo.toBytes(envelope));
        assertEquals(envelope, copy);
        assertTrue(verifies(keys, copy));
        assertFalse(envelope.toString().contains(Arrays.toString(envelope.signature())));
    }

    private static Object changed(Object value) {
        if (value instanceof String s) {
            return s + "x";
        }
        if (value instanceof Long l) {
            return l + 1;
        }
        if (value instanceof byte[] b) {
            byte[] c = b.clone();
            c[0] ^= 1;
            return c;
        }
        throw new IllegalArgumentException("add a mutation for " + value.getClass());
    }
}
