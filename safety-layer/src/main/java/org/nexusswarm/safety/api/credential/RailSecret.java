package org.nexusswarm.safety.api.credential;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.jcajce.interfaces.MLDSAPrivateKey;
import org.bouncycastle.jcajce.spec.MLDSAParameterSpec;
import org.bouncycastle.jcajce.spec.MLDSAPrivateKeySpec;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * The 32-byte secret of one rail instance, from which the rail issuer's keys and every entity's Ed25519 key are
 * derived with HKDF-SHA256 (Bouncy Castle). Every node holding the same secret derives byte-identical keys, so any
 * of them may host any entity of the rail; a node without it cannot act as any of them.
 *
 * <p><b>Derivation.</b> {@code HKDF-SHA256(ikm = secret, salt = none, info)} where {@code info} is the tag
 * {@value #INFO_TAG} followed by the rail instance, the entity id and the purpose, each as a 4-byte big-endian
 * length and its UTF-8 bytes (so no two different triples share an info string). The 32 output bytes are an
 * Ed25519 private key, or the FIPS 204 seed of the issuer's ML-DSA-65 key.
 *
 * <p>Holds the secret in memory: never serialized, {@link #toString()} prints only the fingerprint. At rest it
 * lives only in a BCFKS keystore ({@link RailSecretStore}).
 */
public final class RailSecret {

    public static final int BYTES = 32;
    public static final String INFO_TAG = "nexus-rail-key-v1";
    /** Purposes (the last part of the info string). */
    public static final String ENTITY = "entity-ed25519";
    public static final String ISSUER = "issuer-ed25519";
    public static final String ISSUER_PQ = "issuer-ml-dsa-65";
    public static final String FEED = "feed-ed25519";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;

    private RailSecret(byte[] secret) {
        if (secret == null || secret.length != BYTES) {
            throw new IllegalArgumentException("a rail secret has " + BYTES + " bytes");
        }
        this.secret = secret.clone();
    }

    /** A fresh random secret from the system's secure random source. */
    public static RailSecret generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        try {
            return new RailSecret(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The secret around raw bytes (read from a keystore). */
    static RailSecret of(byte[] secret) {
        return new RailSecret(secret);
    }

    /** A copy of the raw bytes, for the keystore only. */
    byte[] bytes() {
        return secret.clone();
    }

    /** The Ed25519 key of entity {@code entityId} of rail instance {@code instance}. */
    public SwarmKeyPair entityKey(String instance, String entityId) {
        return ed25519(instance, entityId, ENTITY);
    }

    /** The signal feed's key of rail instance {@code instance}. */
    public SwarmKeyPair feedKey(String instance) {
        return ed25519(instance, "", FEED);
    }

    /** The rail issuer's keys: Ed25519, plus ML-DSA-65 (from a derived seed) when {@code postQuantum}. */
    public IssuerKeys issuerKeys(String instance, boolean postQuantum) {
        byte[] ed = derive(instance, "", ISSUER);
        try {
            return IssuerKeys.fromRaw(ed, postQuantum ? mlDsa(instance) : null);
        } finally {
            Arrays.fill(ed, (byte) 0);
        }
    }

    /**
     * A short public fingerprint of the secret (SHA-256 over a derived value, 8 bytes hex), for listings and
     * to tell two secrets apart without revealing either.
     */
    public String fingerprint() {
        byte[] tag = derive("", "", "fingerprint");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tag), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(tag, (byte) 0);
        }
    }

    private SwarmKeyPair ed25519(String instance, String entityId, String purpose) {
        byte[] key = derive(instance, entityId, purpose);
        try {
            return SwarmKeyPair.of(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private KeyPair mlDsa(String instance) {
        byte[] seed = derive(instance, "", ISSUER_PQ);
        try {
            PrivateKey key = KeyFactory.getInstance("ML-DSA", MlDsa65.provider())
                    .generatePrivate(new MLDSAPrivateKeySpec(MLDSAParameterSpec.ml_dsa_65, seed));
            return new KeyPair(((MLDSAPrivateKey) key).getPublicKey(), key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot build an ML-DSA-65 key from a seed", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private byte[] derive(String instance, String entityId, String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, null, info(instance, entityId, purpose)));
        byte[] out = new byte[BYTES];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    static byte[] info(String instance, String entityId, String purpose) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        for (String part : new String[] {INFO_TAG, instance, entityId, purpose}) {
            byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
            out.write(utf8.length >>> 24);
            out.write(utf8.length >>> 16);
            out.write(utf8.length >>> 8);
            out.write(utf8.length);
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    /** Overwrites the in-memory copy; the instance is unusable afterwards. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
        return "RailSecret(" + fingerprint() + ")";
    }
}
