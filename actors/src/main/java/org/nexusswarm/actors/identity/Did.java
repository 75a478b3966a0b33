package org.nexusswarm.actors.identity;

import java.util.Arrays;
import java.util.Base64;
import org.nexusswarm.actors.SwarmMessage;

/**
 * A decentralized identifier derived from an Ed25519 public key: {@code did:nexus:<base64url(key)>}.
 *
 * <p>The key is embedded in the identifier, so a DID needs no registry to name a key; whether the swarm
 * <em>knows</em> (trusts) it is the {@link IdentityDirectory}'s business.
 */
public record Did(String value) implements SwarmMessage {

    public static final String PREFIX = "did:nexus:";

    public Did {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a Nexus DID: " + value);
        }
    }

    public static Did of(byte[] publicKey) {
        return new Did(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey));
    }

    /** The public key embedded in this DID. */
    public byte[] publicKey() {
        try {
            return Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    public boolean matches(byte[] publicKey) {
        return Arrays.equals(publicKey(), publicKey);
    }

    /** A short form for logs and terminal output. */
    public String shortForm() {
        String key = value.substring(PREFIX.length());
        return PREFIX + (key.length() > 10 ? key.substring(0, 10) + "…" : key);
    }

    @Override
    public String toString() {
        return value;
    }
}
