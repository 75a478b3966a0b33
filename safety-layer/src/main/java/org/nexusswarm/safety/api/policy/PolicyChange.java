package org.nexusswarm.safety.api.policy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * An operator's request to replace the policy of {@code scope} with {@code text}, signed with the operator's
 * Ed25519 key over {@link #signedBytes()} (scope, text, DID and nonce, length-prefixed): the earlier signed-bytes
 * format, retired. The policy store refuses it ({@code LEGACY_FORMAT}, journaled); a policy is pushed as a signed
 * operator command of kind {@code policy}. The type stays Kryo-registered (375) so stored bytes keep reading.
 *
 * @param nonce     must exceed every nonce this operator used before on this scope (e.g. a timestamp)
 * @param signature Ed25519 signature, 64 bytes; copied in and out
 */
public record PolicyChange(String scope, String text, String operatorDid, long nonce, byte[] signature)
        implements SwarmMessage {

    public PolicyChange {
        signature = signature == null ? new byte[0] : signature.clone();
    }

    /** Signs a change with the operator's key pair. */
    public static PolicyChange sign(SwarmKeyPair operator, String scope, String text, long nonce) {
        String did = operator.did().value();
        return new PolicyChange(scope, text, did, nonce, operator.sign(signedBytes(scope, text, did, nonce)));
    }

    /** The exact bytes the signature covers. */
    public static byte[] signedBytes(String scope, String text, String operatorDid, long nonce) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + (text == null ? 0 : text.length()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("nexus-policy-change-v1");
            write(out, scope);
            write(out, operatorDid);
            out.writeLong(nonce);
            write(out, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] signedBytes() {
        return signedBytes(scope, text, operatorDid, nonce);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private static void write(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyChange c && Objects.equals(scope, c.scope) && Objects.equals(text, c.text)
                && Objects.equals(operatorDid, c.operatorDid) && nonce == c.nonce
                && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, operatorDid, nonce, text) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "PolicyChange(" + scope + " by " + operatorDid + ", nonce " + nonce + ", "
                + (text == null ? 0 : text.length()) + " chars)";
    }
}
