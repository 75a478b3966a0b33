package org.nexusswarm.actors.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * @param senderDid  DID of the signing identity
 * @param sender     the sending entity or principal, e.g. {@code agent:x} or {@code feed:sensors}
 * @param recipient  the addressed entity, {@code kind:id}
 * @param nonce      unique per sender; part of the signed bytes
 * @param hlc        the sender's hybrid logical clock when it sent the message
 * @param payload    Kryo bytes of a {@link SwarmMessage}
 * @param signature  Ed25519 signature over {@link #signedBytes()}, or an empty array when unsigned
 */
public record SignedEnvelope(
        String senderDid, String sender, String recipient, long nonce, long hlc, byte[] payload, byte[] signature)
        implements SwarmMessage {

    public SignedEnvelope {
        payload = payload == null ? new byte[0] : payload.clone();
        signature = signature == null ? new byte[0] : signature.clone();
    }

    /** Signs {@code payload} for {@code recipient} with {@code keys}. */
    public static SignedEnvelope sign(
            SwarmKeyPair keys, String sender, String recipient, long nonce, long hlc, byte[] payload) {
        SignedEnvelope unsigned = new SignedEnvelope(keys.did().value(), sender, recipient, nonce, hlc, payload, null);
        return unsigned.withSignature(keys.sign(unsigned.signedBytes()));
    }

    public SignedEnvelope withSignature(byte[] newSignature) {
        return new SignedEnvelope(senderDid, sender, recipient, nonce, hlc, payload, newSignature);
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

    /** The exact bytes the signature covers: every field but the signature, length-prefixed. */
    public byte[] signedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("nexus-envelope-v1");
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

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedEnvelope e && java.util.Arrays.equals(signedBytes(), e.signedBytes())
                && java.util.Arrays.equals(signature, e.signature);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(signedBytes());
    }

    @Override
    public String toString() {
        return "SignedEnvelope(" + sender + " -> " + recipient + ", nonce " + nonce + ", " + payload.length + " bytes)";
    }
}
