package org.nexusswarm.safety.api.registry;

import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Signer;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * A hosted entity's signing handle: signs and names its DID, but hands out neither the key pair nor anything
 * derived from the private key. Only the registry (this package) derives the entity's session secret from it, at
 * deployment. A final class, so a cast cannot reach the key pair inside.
 */
public final class EntitySigner implements Signer {

    private final SwarmKeyPair keys;

    private EntitySigner(SwarmKeyPair keys) {
        this.keys = keys;
    }

    /** Seals {@code keys} into a signer (callers should drop their own reference to the key pair). */
    public static EntitySigner of(SwarmKeyPair keys) {
        if (keys == null) {
            throw new IllegalArgumentException("a signer needs a key pair");
        }
        return new EntitySigner(keys);
    }

    @Override
    public Did did() {
        return keys.did();
    }

    @Override
    public byte[] sign(byte[] message) {
        return keys.sign(message);
    }

    /** Package-private: the session secret the registry derives once when it deploys the entity. */
    byte[] deriveSecret(String label) {
        return keys.deriveSecret(label);
    }

    @Override
    public String toString() {
        return "EntitySigner(" + keys.did() + ")";
    }
}
