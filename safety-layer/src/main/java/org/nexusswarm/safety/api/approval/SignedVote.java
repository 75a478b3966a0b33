package org.nexusswarm.safety.api.approval;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * One approver's vote on one approval request, signed with the approver's Ed25519 key: the earlier signed-bytes
 * format, retired. Approval requests no longer accept it (a vote is a signed operator command, {@link TokenVote});
 * it stays because journals written by earlier versions hold it as their "vote cast" event, and it still reads
 * and re-verifies from there.
 *
 * <p>The signature covers {@link #signedBytes()}: every field but the signature, including the approval id, so a
 * vote cannot be replayed on another request. An accepted vote is journaled verbatim by the request (it is the
 * request's "vote cast" event), so an auditor can re-verify every vote from the journal alone. Arrays are copied
 * in and out so the record stays immutable.
 *
 * @param approvalId  the request voted on
 * @param approverDid DID of the signing approver; must be one of the request's approvers
 * @param approve     true to approve, false to deny
 * @param nonce       strictly increasing per approver (the CLI uses the current time in microseconds)
 * @param comment     free text, may be empty
 * @param signature   Ed25519 signature over {@link #signedBytes()}
 */
public record SignedVote(String approvalId, String approverDid, boolean approve, long nonce, String comment,
        byte[] signature) implements Vote, SwarmMessage {

    private static final String DOMAIN = "nexus-approval-vote-v1";

    public SignedVote {
        comment = comment == null ? "" : comment;
        signature = signature == null ? new byte[0] : signature.clone();
    }

    /** A vote by {@code keys} on {@code approvalId}, signed. */
    public static SignedVote sign(SwarmKeyPair keys, String approvalId, boolean approve, long nonce, String comment) {
        SignedVote unsigned = new SignedVote(approvalId, keys.did().value(), approve, nonce, comment, null);
        return unsigned.withSignature(keys.sign(unsigned.signedBytes()));
    }

    public SignedVote withSignature(byte[] newSignature) {
        return new SignedVote(approvalId, approverDid, approve, nonce, comment, newSignature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The signature in base64, as the HTTP API carries it and as replay detection remembers it. */
    public String signatureBase64() {
        return Base64.getEncoder().encodeToString(signature);
    }

    @Override
    public String replayKey() {
        return signatureBase64();
    }

    /** True only when the signature verifies against the key embedded in {@link #approverDid()}. */
    public boolean signatureValid() {
        if (approverDid == null || !approverDid.startsWith(Did.PREFIX)) {
            return false;
        }
        return Ed25519.verify(new Did(approverDid).publicKey(), signedBytes(), signature);
    }

    /** The canonical bytes the signature covers: a domain tag, then every field but the signature. */
    public byte[] signedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, DOMAIN);
            writeString(out, approvalId);
            writeString(out, approverDid);
            out.writeBoolean(approve);
            out.writeLong(nonce);
            writeString(out, comment);
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
        return o instanceof SignedVote v && Arrays.equals(signedBytes(), v.signedBytes())
                && Arrays.equals(signature, v.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signedBytes()) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedVote(" + approvalId + ", " + approverDid + ", " + (approve ? "approve" : "deny") + ", nonce "
                + nonce + ")";
    }
}
