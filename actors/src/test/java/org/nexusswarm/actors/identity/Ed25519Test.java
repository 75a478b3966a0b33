package org.nexusswarm.actors.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ed25519Test {

    private static final byte[] MESSAGE = "transfer 10 units to agent:b".getBytes(StandardCharsets.UTF_8);

    private final SwarmKeyPair keys = Ed25519.generate();

    @Test
    void aSignatureVerifiesWithTheSignersPublicKey() {
        byte[] signature = keys.sign(MESSAGE);
        assertEquals(Ed25519.SIGNATURE_BYTES, signature.length);
        assertEquals(Ed25519.KEY_BYTES, keys.publicKey().length);
        assertTrue(Ed25519.verify(keys.publicKey(), MESSAGE, signature));
        assertArrayEquals(signature, keys.sign(MESSAGE), "Ed25519 signatures are deterministic");
    }

    @Test
    void anotherKeyDoesNotVerify() {
        byte[] signature = keys.sign(MESSAGE);
        assertFalse(Ed25519.verify(Ed25519.generate().publicKey(), MESSAGE, signature));
    }

    @Test
    void aTamperedMessageOrSignatureDoesNotVerify() {
        byte[] signature = keys.sign(MESSAGE);
        for (int i = 0; i < MESSAGE.length; i += 7) {
            byte[] tampered = MESSAGE.clone();
            tampered[i] ^= 0x01;
            assertFalse(Ed25519.verify(keys.publicKey(), tampered, signature), "flipped message byte " + i);
        }
        assertFalse(Ed25519.verify(keys.publicKey(), Arrays.copyOf(MESSAGE, MESSAGE.length + 1), signature));
        assertFalse(Ed25519.verify(keys.publicKey(), new byte[0], signature));
        for (int i = 0; i < signature.length; i += 9) {
            byte[] tampered = signature.clone();
            tampered[i] ^= 0x40;
            assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, tampered), "flipped signature byte " + i);
        }
    }

    @Test
    void malformedInputsDoNotVerifyAndDoNotThrow() {
        byte[] signature = keys.sign(MESSAGE);
        assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, Arrays.copyOf(signature, 63)));
        assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, Arrays.copyOf(signature, 65)));
        assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, new byte[0]));
        assertFalse(Ed25519.verify(keys.publicKey(), MESSAGE, null));
        assertFalse(Ed25519.verify(Arrays.copyOf(keys.publicKey(), 31), MESSAGE, signature));
        assertFalse(Ed25519.verify(Arrays.copyOf(keys.publicKey(), 33), MESSAGE, signature));
        assertFalse(Ed25519.verify(null, MESSAGE, signature));
        assertFalse(Ed25519.verify(keys.publicKey(), null, signature));
        assertFalse(Ed25519.verify(new byte[32], MESSAGE, new byte[64]));
    }

    @Test
    void aKeyPairIsRebuiltFromItsPrivateKey() {
        byte[] privateKey = new byte[32];
        Arrays.fill(privateKey, (byte) 7);
        SwarmKeyPair a = SwarmKeyPair.of(privateKey);
        privateKey[0] = 1; // the key pair copied its input
        SwarmKeyPair b = SwarmKeyPair.of(filled(7));
        assertEquals(a.did(), b.did());
        assertArrayEquals(a.publicKey(), b.publicKey());
        assertTrue(Ed25519.verify(b.publicKey(), MESSAGE, a.sign(MESSAGE)));
        assertNotEquals(a.did(), SwarmKeyPair.of(filled(8)).did());
        assertThrows(IllegalArgumentException.class, () -> SwarmKeyPair.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SwarmKeyPair.of(null));
    }

    @Test
    void thePublicKeyIsDefensivelyCopiedAndToStringShowsOnlyTheDid() {
        byte[] exposed = keys.publicKey();
        exposed[0] ^= 0x7f;
        assertFalse(Arrays.equals(exposed, keys.publicKey()));
        assertTrue(Ed25519.verify(keys.publicKey(), MESSAGE, keys.sign(MESSAGE)));
        assertEquals("SwarmKeyPair(" + keys.did() + ")", keys.toString());
    }

    @Test
    void freshKeysDiffer() {
        assertNotEquals(Ed25519.generate().did(), Ed25519.generate().did());
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
