package org.nexusswarm.actors.identity;

/**
 * An entity's Ed25519 key pair and the DID derived from its public key.
 *
 * <p>Deliberately not a {@link org.nexusswarm.actors.SwarmMessage}: private keys are never serialized
 * into messages or journals. {@link #toString()} does not print the private key.
 */
public final class SwarmKeyPair implements Signer {

    private final byte[] privateKey;
    private final byte[] publicKey;
    private final Did did;

    private SwarmKeyPair(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = Ed25519.publicKeyOf(this.privateKey);
        this.did = Did.of(publicKey);
    }

    /** Rebuilds a key pair from its raw 32-byte private key. */
    public static SwarmKeyPair of(byte[] privateKey) {
        if (privateKey == null || privateKey.length != Ed25519.KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes");
        }
        return new SwarmKeyPair(privateKey);
    }

    @Override
    public Did did() {
        return did;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * A 32-byte secret derived from the private key with HKDF-SHA256 under {@code label} (e.g. the entity's
     * X25519 session key). Every node holding this key pair derives the same secret; the private key itself
     * never leaves.
     */
    public byte[] deriveSecret(String label) {
        org.bouncycastle.crypto.generators.HKDFBytesGenerator hkdf =
                new org.bouncycastle.crypto.generators.HKDFBytesGenerator(new org.bouncycastle.crypto.digests.SHA256Digest());
        hkdf.init(new org.bouncycastle.crypto.params.HKDFParameters(privateKey, null,
                label.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    @Override
    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    @Override
    public String toString() {
        return "SwarmKeyPair(" + did + ")";
    }
}
