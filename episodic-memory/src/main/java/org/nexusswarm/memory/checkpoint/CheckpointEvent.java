package org.nexusswarm.memory.checkpoint;

import java.nio.charset.StandardCharsets;
import org.nexusswarm.memory.chronotope.EpisodeEvent;

/**
 * A signed checkpoint in an episode journal: the Merkle root ({@link MerkleTree}) of the hashes of events
 * {@code fromSeq..toSeq}, signed by the key of the node that hosted the entity. Checkpoints tile a journal:
 * each covers every event since the previous checkpoint, that checkpoint included (the first starts at 1).
 * A supervisor writes one every N events and at every kill, so rewriting history, even with a recomputed
 * hash chain, needs a node's private key.
 */
public interface CheckpointEvent extends EpisodeEvent {

    long fromSeq();

    long toSeq();

    /** Hex Merkle root over the hashes of events {@code fromSeq..toSeq}. */
    String merkleRoot();

    /** DID of the signing node's Ed25519 key. */
    String nodeDid();

    /** Base64 Ed25519 signature over {@link #statement}. */
    String signature();

    /** The bytes a checkpoint signature covers: the journal, the range and the root. */
    static byte[] statement(String persistenceId, long fromSeq, long toSeq, String merkleRoot) {
        return ("nexus-checkpoint/1|" + persistenceId + "|" + fromSeq + "|" + toSeq + "|" + merkleRoot)
                .getBytes(StandardCharsets.UTF_8);
    }
}
