package org.nexusswarm.actors.identity;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 signatures through Bouncy Castle's lightweight API (about 10x the JDK provider's rate here).
 *
 * <p>Keys travel as raw 32-byte encodings. Verification never throws on malformed input: a key or
 * signature of the wrong length simply does not verify.
 */
public final class Ed25519 {

    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ed25519() {}

    /** A fresh key pair from the system's secure random source. */
    public static SwarmKeyPair generate() {
        Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
        gen.init(new Ed25519KeyGenerationParameters(RANDOM));
        AsymmetricCipherKeyPair kp = gen.generateKeyPair();
        return SwarmKeyPair.of(((Ed25519PrivateKeyParameters) kp.getPrivate()).getEncoded());
    }

    static byte[] publicKeyOf(byte[] privateKey) {
        return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }

    static byte[] sign(byte[] privateKey, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** True only when {@code signature} is a valid Ed25519 signature of {@code message} by {@code publicKey}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != KEY_BYTES
                || signature == null || signature.length != SIGNATURE_BYTES || message == null) {
            return false;
        }
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            // Bouncy Castle rejects 32 bytes that are not a point on the curve ("invalid public key").
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
