package org.nexusswarm.actors.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        assertEquals(List.of("senderDid", "sender", "recipient", "nonce", "hlc", "payload", "scheme"), checked);
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

    @Test
    void theSevenFieldFormIsAnEd25519EnvelopeWithUnchangedSignedBytes() {
        SignedEnvelope seven = new SignedEnvelope(envelope.senderDid(), envelope.sender(), envelope.recipient(),
                envelope.nonce(), envelope.hlc(), envelope.payload(), envelope.signature());
        assertEquals(SignedEnvelope.ED25519, seven.scheme());
        assertFalse(seven.isMacked());
        assertEquals(SignedEnvelope.ED25519, new SignedEnvelope("d", "s", "r", 1, 1, null, null, null).scheme());
        // The Ed25519 signed bytes are those of the single-scheme format: header, then the fields.
        byte[] bytes = seven.signedBytes();
        assertEquals("nexus-envelope-v1".length(), bytes[1]);
        assertTrue(verifies(keys, seven));
    }

    @Test
    void aMackedEnvelopeCarriesA32ByteTagOverEveryFieldAndTheScheme() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        SignedEnvelope macked =
                SignedEnvelope.macked(keys.did().value(), "agent:a", "agent:b", 5, 9, new byte[] {1, 2}, key);
        assertTrue(macked.isMacked());
        assertTrue(macked.isSigned());
        assertEquals(SignedEnvelope.HMAC_SHA256, macked.scheme());
        assertEquals(SignedEnvelope.MAC_BYTES, macked.signature().length);
        javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA256");
        jdk.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        assertArrayEquals(jdk.doFinal(macked.signedBytes()), macked.signature(), "standard HMAC-SHA256");
        SignedEnvelope sameFieldsEd = new SignedEnvelope(macked.senderDid(), macked.sender(), macked.recipient(),
                macked.nonce(), macked.hlc(), macked.payload(), macked.signature());
        assertFalse(Arrays.equals(macked.signedBytes(), sameFieldsEd.signedBytes()), "the scheme is authenticated");
        assertNotEquals(macked, sameFieldsEd);
        assertFalse(macked.toString().contains(Arrays.toString(macked.signature())));
        assertTrue(macked.toString().contains(SignedEnvelope.HMAC_SHA256));
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        assertEquals(macked, kryo.fromBytes(kryo.toBytes(macked)));
        assertEquals(macked.scheme(), macked.withSignature(new byte[32]).scheme());
    }

    @Test
    void mackingRefusesKeysOfTheWrongLength() {
        for (byte[] bad : new byte[][] {null, new byte[0], new byte[16], new byte[33]}) {
            assertThrows(IllegalArgumentException.class,
                    () -> SignedEnvelope.macked("d", "agent:a", "agent:b", 1, 1, new byte[0], bad));
        }
    }

    @Test
    void anAbsurdlyLongSchemeStillHasSignedBytes() {
        SignedEnvelope junk = envelope.withSignature(new byte[1]);
        SignedEnvelope longScheme = new SignedEnvelope(junk.senderDid(), junk.sender(), junk.recipient(), 1, 1,
                new byte[0], new byte[1], "x".repeat(70_000));
        assertTrue(longScheme.signedBytes().length < 1000);
        assertFalse(longScheme.isMacked());
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

    @Test
    void theFastEncodingIsByteForByteTheStreamEncoding() {
        byte[] payload = new byte[300];
        Arrays.fill(payload, (byte) 7);
        for (String scheme : new String[] {SignedEnvelope.ED25519, SignedEnvelope.HMAC_SHA256}) {
            SignedEnvelope e = new SignedEnvelope("did:nexus:ü-key", "agent:élan", "node:x", 42, 7, payload,
                    new byte[64], scheme);
            String header = SignedEnvelope.ED25519.equals(scheme) ? "nexus-envelope-v1" : "nexus-envelope-v1|" + scheme;
            assertArrayEquals(e.signedBytesViaStreams(header), e.signedBytes(), scheme);
        }
        SignedEnvelope nulls = new SignedEnvelope(null, null, null, 0, 0, null, null);
        assertArrayEquals(nulls.signedBytesViaStreams("nexus-envelope-v1"), nulls.signedBytes());
    }
}
