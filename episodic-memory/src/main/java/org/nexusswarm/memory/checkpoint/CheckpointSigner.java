package org.nexusswarm.memory.checkpoint;

import java.util.Base64;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/** The hosting node's key as a checkpoint signer (Ed25519, Bouncy Castle). */
public final class CheckpointSigner {

    private final SwarmKeyPair key;

    public CheckpointSigner(SwarmKeyPair key) {
        this.key = key;
    }

    /** A signer with a key that lives as long as this JVM (unit tests; nodes load theirs from a keystore). */
    public static CheckpointSigner ephemeral() {
        return new CheckpointSigner(Ed25519.generate());
    }

    public String nodeDid() {
        return key.did().value();
    }

    /** Base64 signature over {@link CheckpointEvent#statement}. */
    public String sign(String persistenceId, long fromSeq, long toSeq, String merkleRoot) {
        return Base64.getEncoder().encodeToString(
                key.sign(CheckpointEvent.statement(persistenceId, fromSeq, toSeq, merkleRoot)));
    }

    /** Whether {@code checkpoint}'s signature is valid for its own node DID (trust in that DID is separate). */
    public static boolean signatureValid(String persistenceId, CheckpointEvent checkpoint) {
        try {
            byte[] signature = Base64.getDecoder().decode(checkpoint.signature());
            byte[] publicKey = new Did(checkpoint.nodeDid()).publicKey();
            return Ed25519.verify(publicKey, CheckpointEvent.statement(persistenceId, checkpoint.fromSeq(),
                    checkpoint.toSeq(), checkpoint.merkleRoot()), signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
