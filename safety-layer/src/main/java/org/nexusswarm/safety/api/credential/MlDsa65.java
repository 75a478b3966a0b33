package org.nexusswarm.safety.api.credential;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * ML-DSA-65 (FIPS 204) signatures through the Bouncy Castle JCA provider, the post-quantum half of a hybrid
 * credential proof. The provider is registered once, on first use.
 *
 * <p>Public keys travel as their X.509 SubjectPublicKeyInfo encoding (1,974 bytes), or as PEM around it.
 * Verification never throws: a key of another parameter set, or a malformed signature, simply does not verify.
 */
public final class MlDsa65 {

    public static final String ALGORITHM = "ML-DSA-65";
    private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_END = "-----END PUBLIC KEY-----";
    private static final Provider PROVIDER = registerProvider();

    private MlDsa65() {}

    private static synchronized Provider registerProvider() {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing != null) {
            return existing;
        }
        Provider bc = new BouncyCastleProvider();
        Security.addProvider(bc);
        return bc;
    }

    /** The registered Bouncy Castle provider (also used for keystores and certificates). */
    public static Provider provider() {
        return PROVIDER;
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM, PROVIDER).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot generate " + ALGORITHM + " keys", e);
        }
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM, PROVIDER);
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** True only when {@code signature} is a valid ML-DSA-65 signature of {@code message} by {@code key}. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (key == null || message == null || signature == null || signature.length == 0) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM, PROVIDER);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Decodes an X.509-encoded ML-DSA-65 public key; throws {@link IllegalArgumentException} on anything else. */
    public static PublicKey decodePublicKey(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            throw new IllegalArgumentException("empty " + ALGORITHM + " public key");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("ML-DSA", PROVIDER).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an X.509-encoded ML-DSA public key (" + e.getMessage() + ")");
        }
        if (!ALGORITHM.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("expected an " + ALGORITHM + " public key, got " + key.getAlgorithm());
        }
        return key;
    }

    /** PEM text ("PUBLIC KEY") of an X.509-encoded public key. */
    public static String toPem(byte[] encodedPublicKey) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encodedPublicKey);
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    /** Reads a public key file's bytes: PEM ("PUBLIC KEY") or raw DER; returns the X.509 encoding. */
    public static byte[] readPublicKey(byte[] fileBytes) {
        String text = new String(fileBytes, StandardCharsets.US_ASCII).trim();
        if (!text.startsWith("-----BEGIN")) {
            return fileBytes.clone();
        }
        if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)) {
            throw new IllegalArgumentException("expected a PEM block '" + PEM_BEGIN + "'");
        }
        String body = text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length());
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM public key is not valid base64");
        }
    }
}
