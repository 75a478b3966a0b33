package org.nexusswarm.safety.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.protocol.SignedEnvelope;

/** X25519 session keys and HMAC-SHA256: agreement, direction, pairs, tampering, cache bounds, bad input. */
class SessionKeysTest {

    private final SessionKeys a = SessionKeys.generate("agent:a");
    private final SessionKeys b = SessionKeys.generate("agent:b");
    private final SessionKeys c = SessionKeys.generate("agent:c");
    private final byte[] data = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void bothEndsDeriveTheSameKeyForEachDirection() {
        byte[] aToB = a.sendingKey("agent:b", b.publicKey());
        assertEquals(SessionKeys.KEY_BYTES, aToB.length);
        assertArrayEquals(aToB, b.receivingKey("agent:a", a.publicKey()));
        byte[] bToA = b.sendingKey("agent:a", a.publicKey());
        assertArrayEquals(bToA, a.receivingKey("agent:b", b.publicKey()));
        assertFalse(Arrays.equals(aToB, bToA), "each direction has its own key");
    }

    @Test
    void eachPairHasItsOwnKey() {
        byte[] aToB = a.sendingKey("agent:b", b.publicKey());
        byte[] aToC = a.sendingKey("agent:c", c.publicKey());
        byte[] cToB = c.sendingKey("agent:b", b.publicKey());
        assertFalse(Arrays.equals(aToB, aToC));
        assertFalse(Arrays.equals(aToB, cToB));
        // The names are bound in too: the same key pair claiming another name gets another key.
        assertFalse(Arrays.equals(aToB, a.sendingKey("agent:b2", b.publicKey())));
    }

    @Test
    void theSessionKeyIsHkdfOverTheX25519SecretWithTheDocumentedInfo() {
        SessionKeys fixed = SessionKeys.of("agent:a", bytes(1));
        SessionKeys other = SessionKeys.of("agent:b", bytes(2));
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(new X25519PrivateKeyParameters(bytes(1), 0));
        byte[] secret = new byte[32];
        agreement.calculateAgreement(new X25519PublicKeyParameters(other.publicKey(), 0), secret, 0);
        assertArrayEquals(SessionKeys.sessionKey(secret, "agent:a", "agent:b"),
                fixed.sendingKey("agent:b", other.publicKey()));
    }

    @Test
    void aMacVerifiesOnlyUnderItsKeyAndForItsData() throws Exception {
        byte[] aToB = a.sendingKey("agent:b", b.publicKey());
        byte[] tag = SessionKeys.mac(aToB, data);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(aToB, "HmacSHA256"));
        assertArrayEquals(jdk.doFinal(data), tag, "standard HMAC-SHA256");
        assertTrue(SessionKeys.verify(b.receivingKey("agent:a", a.publicKey()), data, tag));
        // A MAC from another pair fails.
        assertFalse(SessionKeys.verify(b.receivingKey("agent:c", c.publicKey()), data, SessionKeys.mac(
                a.sendingKey("agent:c", c.publicKey()), data)));
        assertFalse(SessionKeys.verify(b.receivingKey("agent:c", c.publicKey()), data, tag));
        // Tampered data or tag fails.
        byte[] tampered = data.clone();
        tampered[0] ^= 1;
        assertFalse(SessionKeys.verify(aToB, tampered, tag));
        byte[] badTag = tag.clone();
        badTag[31] ^= 1;
        assertFalse(SessionKeys.verify(aToB, data, badTag));
        assertFalse(SessionKeys.verify(aToB, data, Arrays.copyOf(tag, 16)), "truncated tag");
        assertFalse(SessionKeys.verify(aToB, data, null));
        assertFalse(SessionKeys.verify(null, data, tag));
        assertFalse(SessionKeys.verify(aToB, null, tag));
    }

    @Test
    void preparedMacsGiveTheStandardTags() throws Exception {
        java.util.Random random = new java.util.Random(7);
        for (int keyLength : new int[] {1, 16, 32, 63, 64, 65, 100}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            SessionKeys.PreparedMac prepared = new SessionKeys.PreparedMac(key);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int length : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000}) {
                byte[] message = new byte[length];
                random.nextBytes(message);
                byte[] tag = prepared.mac(message);
                assertArrayEquals(jdk.doFinal(message), tag, "key " + keyLength + ", data " + length);
                assertArrayEquals(SessionKeys.mac(key, message), tag);
                assertTrue(prepared.verify(message, tag));
                assertArrayEquals(tag, prepared.mac(message), "the prepared states are not consumed");
                byte[] bad = tag.clone();
                bad[length % 32] ^= 1;
                assertFalse(prepared.verify(message, bad));
                assertFalse(prepared.verify(message, Arrays.copyOf(tag, 16)));
                assertFalse(prepared.verify(message, null));
                assertFalse(prepared.verify(null, tag));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SessionKeys.PreparedMac(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new SessionKeys.PreparedMac(null));
    }

    @Test
    void signedEnvelopeMacsAgreeWithSessionKeysMacs() {
        byte[] key = a.sendingKey("agent:b", b.publicKey());
        SignedEnvelope e = SignedEnvelope.macked("did:nexus:x", "agent:a", "agent:b", 1, 2, data, key);
        assertArrayEquals(SessionKeys.mac(key, e.signedBytes()), e.signature());
    }

    @Test
    void keysAreDerivedOncePerPeerAndTheCacheIsBounded() {
        SessionKeys small = SessionKeys.of("agent:s", bytes(9), 3);
        for (int i = 0; i < 10; i++) {
            SessionKeys peer = SessionKeys.generate("agent:p" + i);
            byte[] k1 = small.sendingKey(peer.self(), peer.publicKey());
            assertArrayEquals(k1, small.sendingKey(peer.self(), peer.publicKey()));
            assertTrue(small.cachedKeys() <= 3, "cached " + small.cachedKeys());
        }
        SessionKeys cached = SessionKeys.generate("agent:q");
        byte[] first = cached.sendingKey("agent:b", b.publicKey());
        first[0] ^= 1;
        assertFalse(Arrays.equals(first, cached.sendingKey("agent:b", b.publicKey())), "keys are copied out");
        assertEquals(1, cached.cachedKeys());
        // A peer that rotates its key gets a fresh session key.
        SessionKeys rotated = SessionKeys.generate("agent:b");
        assertFalse(Arrays.equals(cached.sendingKey("agent:b", b.publicKey()),
                cached.sendingKey("agent:b", rotated.publicKey())));
    }

    @Test
    void badKeysAndNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.of("agent:a", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.of("agent:a", null));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.of(null, bytes(1)));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.of("", bytes(1)));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.of("agent:a", bytes(1), 0));
        assertThrows(IllegalArgumentException.class, () -> a.sendingKey("agent:b", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> a.sendingKey("agent:b", null));
        assertThrows(IllegalArgumentException.class, () -> a.sendingKey(null, b.publicKey()));
        assertThrows(IllegalArgumentException.class, () -> a.receivingKey("", b.publicKey()));
        // A low-order point (here zero) would give an all-zero shared secret: refused.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.receivingKey("agent:evil", new byte[32]));
        assertTrue(e.getMessage().contains("not usable"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.sessionKey(new byte[0], "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> SessionKeys.mac(new byte[0], data));
        assertFalse(a.toString().contains(Arrays.toString(a.publicKey())));
        assertEquals("SessionKeys(agent:a)", a.toString());
    }

    private static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        return b;
    }
}
