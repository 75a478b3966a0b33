package org.nexusswarm.actors.identity;

/**
 * Signs bytes with an Ed25519 key it never hands out. Code that must act as an identity (seal envelopes, announce
 * session keys, sign checkpoints) gets a signer, never the key: the key stays inside the object that holds it.
 */
public interface Signer {

    /** The DID of the key (its public key). */
    Did did();

    /** The Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message);
}
