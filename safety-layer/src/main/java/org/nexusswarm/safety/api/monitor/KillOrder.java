package org.nexusswarm.safety.api.monitor;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * An operator's signed order to engage the kill switch, as the operator API receives it and {@code swarm kill}
 * sends it. The Ed25519 signature covers {@link #signedBytes()}: a fixed header with the action, then every
 * field length-prefixed, so no field's text can shift into another's.
 *
 * @param target      what to stop
 * @param reason      why (1 to {@value #MAX_REASON_CHARS} characters)
 * @param operatorDid the signing operator's DID
 * @param nonce       the operator's clock in epoch milliseconds when signing: checked for staleness and replay
 */
public record KillOrder(KillTarget target, String reason, String operatorDid, long nonce) {

    public static final int MAX_REASON_CHARS = 500;

    public KillOrder {
        if (target == null) {
            throw new IllegalArgumentException("a kill order needs a target");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a kill order needs a reason");
        }
        if (reason.length() > MAX_REASON_CHARS) {
            throw new IllegalArgumentException("a kill order's reason has at most " + MAX_REASON_CHARS + " characters");
        }
        if (operatorDid == null || !operatorDid.startsWith(Did.PREFIX)) {
            throw new IllegalArgumentException("not a Nexus DID: " + operatorDid);
        }
    }

    /** An order signed now by {@code operator} (the nonce is {@code nowMillis}). */
    public static Signed sign(SwarmKeyPair operator, KillTarget target, String reason, long nowMillis) {
        KillOrder order = new KillOrder(target, reason, operator.did().value(), nowMillis);
        return new Signed(order, operator.sign(order.signedBytes()));
    }

    /** An order with its signature. */
    public record Signed(KillOrder order, byte[] signature) {
        public Signed {
            signature = signature == null ? new byte[0] : signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** True only when {@code signature} is the operator DID's Ed25519 signature of this order. */
    public boolean verifies(byte[] signature) {
        return Ed25519.verify(new Did(operatorDid).publicKey(), signedBytes(), signature);
    }

    public byte[] signedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + reason.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("nexus-kill-order-v1|engage");
            writeString(out, target.scope().name());
            writeString(out, target.name());
            writeString(out, reason);
            writeString(out, operatorDid);
            out.writeLong(nonce);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
