package org.nexusswarm.safety.credential;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * A credential issued by a rail's issuer to one entity: which action classes its logic may perform, and
 * when. This is the foundation's allow-list; places, limits and post-quantum signatures come with the
 * full credential model.
 *
 * @param id             credential id, unique per issuer
 * @param issuerDid      DID of the issuing rail key
 * @param subjectDid     DID of the entity it is issued to
 * @param allowedActions action classes the subject may perform (exact names)
 * @param notBefore      validity start, epoch millis
 * @param notAfter       validity end, epoch millis
 * @param signature      issuer's Ed25519 signature over {@link #signedBytes()}
 */
public record Credential(
        String id, String issuerDid, String subjectDid, List<String> allowedActions, long notBefore, long notAfter,
        byte[] signature) implements SwarmMessage {

    public Credential {
        allowedActions = List.copyOf(allowedActions);
        signature = signature == null ? new byte[0] : signature.clone();
    }

    /** Issues and signs a credential. */
    public static Credential issue(SwarmKeyPair issuer, String id, Did subject, List<String> allowedActions,
            long notBefore, long notAfter) {
        Credential unsigned = new Credential(id, issuer.did().value(), subject.value(), allowedActions,
                notBefore, notAfter, null);
        return new Credential(id, unsigned.issuerDid, unsigned.subjectDid, unsigned.allowedActions, notBefore,
                notAfter, issuer.sign(unsigned.signedBytes()));
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public boolean allows(String actionClass) {
        return allowedActions.contains(actionClass);
    }

    /**
     * Checks the credential for {@code subject} at {@code nowMillis}; returns the problem, or empty when valid.
     * Checked once per supervisor start and cached: verification is the expensive part.
     */
    public Optional<String> problemFor(Did subject, Set<String> trustedIssuers, long nowMillis) {
        if (!trustedIssuers.contains(issuerDid)) {
            return Optional.of("credential " + id + " is issued by an untrusted issuer " + issuerDid);
        }
        if (!subject.value().equals(subjectDid)) {
            return Optional.of("credential " + id + " is issued to " + subjectDid + ", not to " + subject);
        }
        if (!Ed25519.verify(new Did(issuerDid).publicKey(), signedBytes(), signature)) {
            return Optional.of("credential " + id + " has an invalid issuer signature");
        }
        if (nowMillis < notBefore) {
            return Optional.of("credential " + id + " is not valid before " + java.time.Instant.ofEpochMilli(notBefore));
        }
        if (nowMillis > notAfter) {
            return Optional.of("credential " + id + " expired at " + java.time.Instant.ofEpochMilli(notAfter));
        }
        return Optional.empty();
    }

    /** The bytes the issuer signs: every field but the signature. */
    public byte[] signedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("nexus-credential-v1");
            out.writeUTF(id);
            out.writeUTF(issuerDid);
            out.writeUTF(subjectDid);
            out.writeInt(allowedActions.size());
            for (String a : allowedActions) {
                out.writeUTF(a);
            }
            out.writeLong(notBefore);
            out.writeLong(notAfter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c && java.util.Arrays.equals(signedBytes(), c.signedBytes())
                && java.util.Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(signedBytes());
    }
}
