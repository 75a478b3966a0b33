package org.nexusswarm.actors.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * A message for an entity's logic, signed by its sender.
 *
 * <p>The payload stays as Kryo bytes until the receiving supervisor has checked the signature: the
 * signature covers exactly these bytes (no canonicalization needed), and a payload of an unregistered type
 * can be refused and journaled as such instead of being lost in the transport. Arrays are copied in and out
 * so the record stays immutable.
 *
 * <p>Two authentication schemes: {@value #ED25519} (the default: an Ed25519 signature by the sender's DID,
 * verifiable by anyone) and {@value #HMAC_SHA256} (a 32-byte HMAC-SHA256 tag under a pairwise session key,
 * see {@link #macked}: cheap to check on the hot path, but only the two peers can verify it, so it proves
 * nothing to a third party). The scheme is covered by the authenticated bytes of a MAC'd envelope; an
 * Ed25519 envelope's signed bytes are exactly those of the single-scheme format.
 *
 * @param senderDid  DID of the signing identity
 * @param sender     the sending entity or principal, e.g. {@code agent:x} or {@code feed:sensors}
 * @param recipient  the addressed entity, {@code kind:id}
 * @param nonce      unique per sender; part of the signed bytes
 * @param hlc        the sender's hybrid logical clock when it sent the message
 * @param payload    Kryo bytes of a {@link SwarmMessage}
 * @param signature  Ed25519 signature or HMAC tag over {@link #signedBytes()}, or an empty array when unsigned
 * @param scheme     how {@code signature} authenticates: {@value #ED25519} (also when null) or {@value #HMAC_SHA256}
 */
public record SignedEnvelope(String senderDid, String sender, String recipient, long nonce, long hlc,
        byte[] payload, byte[] signature, String scheme) implements SwarmMessage {

    /** Ed25519 signature by the sender's DID (64 bytes). */
    public static final String ED25519 = "ed25519";
    /** HMAC-SHA256 tag (32 bytes) under the session key of (sender -> recipient). */
    public static final String HMAC_SHA256 = "hmac-sha256";
    private static final byte[] ED25519_HEADER = "nexus-envelope-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMAC_HEADER = ("nexus-envelope-v1|" + HMAC_SHA256).getBytes(StandardCharsets.US_ASCII);
    /** Length of an HMAC-SHA256 tag and of the session keys {@link #macked} accepts. */
    public static final int MAC_BYTES = 32;

    public SignedEnvelope {
        payload = payload == null ? new byte[0] : payload.clone();
        signature = signature == null ? new byte[0] : signature.clone();
        scheme = scheme == null ? ED25519 : scheme;
    }

    /** An Ed25519 envelope (the original seven-field form). */
    public SignedEnvelope(
            String senderDid, String sender, String recipient, long nonce, long hlc, byte[] payload, byte[] signature) {
        this(senderDid, sender, recipient, nonce, hlc, payload, signature, ED25519);
    }

    /** Signs {@code payload} for {@code recipient} with {@code keys}. */
    public static SignedEnvelope sign(
            org.nexusswarm.actors.identity.Signer keys, String sender, String recipient, long nonce, long hlc,
            byte[] payload) {
        SignedEnvelope unsigned = new SignedEnvelope(keys.did().value(), sender, recipient, nonce, hlc, payload, null);
        return unsigned.withSignature(keys.sign(unsigned.signedBytes()));
    }

    /**
     * Authenticates {@code payload} for {@code recipient} with an HMAC-SHA256 tag under {@code key}, the
     * 32-byte session key of (sender -> recipient). The tag covers every field, the scheme included.
     */
    public static SignedEnvelope macked(String senderDid, String sender, String recipient, long nonce, long hlc,
            byte[] payload, byte[] key) {
        if (key == null || key.length != MAC_BYTES) {
            throw new IllegalArgumentException("a session key has " + MAC_BYTES + " bytes");
        }
        SignedEnvelope untagged = new SignedEnvelope(senderDid, sender, recipient, nonce, hlc, payload, null,
                HMAC_SHA256);
        byte[] data = untagged.signedBytes();
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        byte[] tag = new byte[hmac.getMacSize()];
        hmac.doFinal(tag, 0);
        return untagged.withSignature(tag);
    }

    /** The same envelope with another signature or tag (same scheme). */
    public SignedEnvelope withSignature(byte[] newSignature) {
        return new SignedEnvelope(senderDid, sender, recipient, nonce, hlc, payload, newSignature, scheme);
    }

    /** True when {@link #signature()} is an HMAC-SHA256 tag under a session key rather than an Ed25519 signature. */
    public boolean isMacked() {
        return HMAC_SHA256.equals(scheme);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public int payloadSize() {
        return payload.length;
    }

    public boolean isSigned() {
        return signature.length > 0;
    }

    /**
     * The exact bytes the signature covers: every field but the signature, length-prefixed. The scheme is
     * part of the header, except for Ed25519, whose bytes stay those of the single-scheme format.
     */
    public byte[] signedBytes() {
        // The two known schemes' headers are encoded once; this runs for every envelope sent and received.
        byte[] h = ED25519.equals(scheme) ? ED25519_HEADER : HMAC_SHA256.equals(scheme) ? HMAC_HEADER : null;
        if (h == null) {
            String header = "nexus-envelope-v1|" + clipped(scheme);
            if (!plainAscii(header)) {
                return signedBytesViaStreams(header);
            }
            h = header.getBytes(StandardCharsets.US_ASCII);
        }
        // Same bytes as DataOutputStream would write (big-endian, writeUTF = ASCII here), in one exact-size
        // array, so it stays allocation-light.
        byte[] d = utf8(senderDid);
        byte[] s = utf8(sender);
        byte[] r = utf8(recipient);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(2 + h.length + 12 + d.length + s.length + r.length
                + 20 + payload.length);
        buf.putShort((short) h.length).put(h);
        buf.putInt(d.length).put(d).putInt(s.length).put(s).putInt(r.length).put(r);
        buf.putLong(nonce).putLong(hlc).putInt(payload.length).put(payload);
        return buf.array();
    }

    /** The reference encoding of {@link #signedBytes()} (also used for headers that are not plain ASCII). */
    byte[] signedBytesViaStreams(String header) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(header);
            writeString(out, senderDid);
            writeString(out, sender);
            writeString(out, recipient);
            out.writeLong(nonce);
            out.writeLong(hlc);
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static boolean plainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }

    /** writeUTF takes at most 65535 bytes; a scheme that long is junk and only needs to stay distinct. */
    private static String clipped(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "#" + s.hashCode();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedEnvelope e && scheme.equals(e.scheme)
                && java.util.Arrays.equals(signedBytes(), e.signedBytes())
                && java.util.Arrays.equals(signature, e.signature);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(signedBytes());
    }

    @Override
    public String toString() {
        return "SignedEnvelope(" + sender + " -> " + recipient + ", nonce " + nonce + ", " + payload.length + " bytes"
                + (ED25519.equals(scheme) ? "" : ", " + scheme) + ")";
    }
}
