package org.nexusswarm.safety.internal.auth;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * An entity's X25519 session public key, bound to its identity by an Ed25519 signature of its DID. Checked
 * once per peer (one asymmetric verify), after which every envelope between the two is authenticated by MAC.
 *
 * @param did             the announcing identity's DID
 * @param name            the principal it is admitted as, e.g. {@code agent:x}
 * @param x25519PublicKey the raw 32-byte X25519 public key
 * @param issuedAtMillis  when it was signed; a newer announcement replaces an older one (key rotation)
 * @param signature       Ed25519 signature by {@code did} over {@link #signedBytes()}
 */
public record SessionKeyAnnouncement(String did, String name, byte[] x25519PublicKey, long issuedAtMillis,
        byte[] signature) implements SwarmMessage {

    public SessionKeyAnnouncement {
        x25519PublicKey = x25519PublicKey == null ? new byte[0] : x25519PublicKey.clone();
        signature = signature == null ? new byte[0] : signature.clone();
    }

    /** Announces {@code keys}' public key as {@code name}'s, signed with {@code identity}. */
    public static SessionKeyAnnouncement sign(org.nexusswarm.actors.identity.Signer identity, String name, SessionKeys keys, long nowMillis) {
        SessionKeyAnnouncement unsigned = new SessionKeyAnnouncement(identity.did().value(), name, keys.publicKey(),
                nowMillis, null);
        return new SessionKeyAnnouncement(unsigned.did, name, unsigned.x25519PublicKey, nowMillis,
                identity.sign(unsigned.signedBytes()));
    }

    /** True when the key has 32 bytes and the DID's key signed exactly these fields. */
    public boolean verifies() {
        if (x25519PublicKey.length != SessionKeys.KEY_BYTES || did == null || !did.startsWith(Did.PREFIX)) {
            return false;
        }
        return Ed25519.verify(new Did(did).publicKey(), signedBytes(), signature);
    }

    public byte[] signedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("nexus-session-key-v1");
            writeBytes(out, (did == null ? "" : did).getBytes(StandardCharsets.UTF_8));
            writeBytes(out, (name == null ? "" : name).getBytes(StandardCharsets.UTF_8));
            writeBytes(out, x25519PublicKey);
            out.writeLong(issuedAtMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public byte[] x25519PublicKey() {
        return x25519PublicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKeyAnnouncement a && Arrays.equals(signedBytes(), a.signedBytes())
                && Arrays.equals(signature, a.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signedBytes());
    }

    @Override
    public String toString() {
        return "SessionKeyAnnouncement(" + name + ", issued " + issuedAtMillis + ")";
    }
}
