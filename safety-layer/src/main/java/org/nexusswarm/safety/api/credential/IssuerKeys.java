package org.nexusswarm.safety.api.credential;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * The signing keys of a credential issuer (or approver, or operator): an Ed25519 key, whose DID names the
 * holder, and optionally an ML-DSA-65 key pair for hybrid post-quantum proofs.
 *
 * <p>Holds private keys: never serialized into messages, {@link #toString()} prints only the DID. Keys made by
 * {@link #generate} (or loaded from a {@link CredentialKeystore}) can be stored in a keystore; keys wrapped
 * around an existing {@link SwarmKeyPair} cannot, since that type never reveals its private key.
 */
public final class IssuerKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SwarmKeyPair ed25519;
    private final byte[] ed25519Private;
    private final KeyPair mlDsa;

    private IssuerKeys(SwarmKeyPair ed25519, byte[] ed25519Private, KeyPair mlDsa) {
        this.ed25519 = ed25519;
        this.ed25519Private = ed25519Private;
        this.mlDsa = mlDsa;
    }

    /** Ed25519-only keys around an existing key pair (not exportable to a keystore). */
    public static IssuerKeys of(SwarmKeyPair ed25519) {
        return new IssuerKeys(ed25519, null, null);
    }

    /** Hybrid keys around an existing Ed25519 key pair and an ML-DSA-65 key pair (not exportable). */
    public static IssuerKeys of(SwarmKeyPair ed25519, KeyPair mlDsa) {
        requireMlDsa(mlDsa);
        return new IssuerKeys(ed25519, null, mlDsa);
    }

    /** Fresh keys: Ed25519, plus ML-DSA-65 when {@code postQuantum}. */
    public static IssuerKeys generate(boolean postQuantum) {
        byte[] seed = new Ed25519PrivateKeyParameters(RANDOM).getEncoded();
        return fromRaw(seed, postQuantum ? MlDsa65.generate() : null);
    }

    /** Rebuilds keys from a raw 32-byte Ed25519 private key and an optional ML-DSA-65 key pair. */
    static IssuerKeys fromRaw(byte[] ed25519PrivateKey, KeyPair mlDsa) {
        if (mlDsa != null) {
            requireMlDsa(mlDsa);
        }
        return new IssuerKeys(SwarmKeyPair.of(ed25519PrivateKey), ed25519PrivateKey.clone(), mlDsa);
    }

    private static void requireMlDsa(KeyPair mlDsa) {
        if (mlDsa == null || !MlDsa65.ALGORITHM.equals(mlDsa.getPublic().getAlgorithm())) {
            throw new IllegalArgumentException("expected an " + MlDsa65.ALGORITHM + " key pair");
        }
    }

    public Did did() {
        return ed25519.did();
    }

    public SwarmKeyPair ed25519() {
        return ed25519;
    }

    public Optional<KeyPair> mlDsa() {
        return Optional.ofNullable(mlDsa);
    }

    public boolean postQuantum() {
        return mlDsa != null;
    }

    /** The X.509 encoding of the ML-DSA-65 public key, to hand to {@link TrustedIssuers}. */
    public Optional<byte[]> mlDsaPublicKey() {
        return mlDsa().map(k -> k.getPublic().getEncoded());
    }

    /** The raw Ed25519 private key, for the keystore; empty when these keys wrap a {@link SwarmKeyPair}. */
    Optional<byte[]> ed25519PrivateKey() {
        return Optional.ofNullable(ed25519Private).map(byte[]::clone);
    }

    @Override
    public String toString() {
        return "IssuerKeys(" + did() + (mlDsa != null ? ", +ML-DSA-65" : "") + ")";
    }
}
