package org.nexusswarm.memory.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;

class MerkleTreeTest {

    private static List<String> leaves(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(HashChain.sha256Hex(("event " + i).getBytes()));
        }
        return out;
    }

    @Test
    void emptyAndSingleLeafFollowRfc6962() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MerkleTree.EMPTY_ROOT);
        String leaf = leaves(1).get(0);
        // A single leaf's root is SHA-256(0x00 || leaf).
        byte[] prefixed = new byte[33];
        System.arraycopy(org.bouncycastle.util.encoders.Hex.decode(leaf), 0, prefixed, 1, 32);
        assertEquals(HashChain.sha256Hex(prefixed), MerkleTree.root(List.of(leaf)));
    }

    @Test
    void everyChangeOfTheLeavesChangesTheRoot() {
        for (int n : new int[] {2, 3, 5, 8, 100}) {
            List<String> base = leaves(n);
            String root = MerkleTree.root(base);
            List<String> changed = new ArrayList<>(base);
            changed.set(n / 2, HashChain.sha256Hex("forged".getBytes()));
            assertNotEquals(root, MerkleTree.root(changed), "changed leaf, n=" + n);
            List<String> swapped = new ArrayList<>(base);
            Collections.swap(swapped, 0, 1);
            assertNotEquals(root, MerkleTree.root(swapped), "swapped leaves, n=" + n);
            assertNotEquals(root, MerkleTree.root(base.subList(0, n - 1)), "dropped leaf, n=" + n);
            assertEquals(root, MerkleTree.root(new ArrayList<>(base)), "deterministic, n=" + n);
        }
    }

    @Test
    void aCheckpointSignatureCoversJournalRangeAndRoot() {
        CheckpointSigner signer = CheckpointSigner.ephemeral();
        String root = MerkleTree.root(leaves(4));
        String sig = signer.sign("agent|a", 1, 4, root);
        assertTrue(CheckpointSigner.signatureValid("agent|a", cp(1, 4, root, signer.nodeDid(), sig)));
        assertFalse(CheckpointSigner.signatureValid("agent|b", cp(1, 4, root, signer.nodeDid(), sig)));
        assertFalse(CheckpointSigner.signatureValid("agent|a", cp(1, 5, root, signer.nodeDid(), sig)));
        assertFalse(CheckpointSigner.signatureValid("agent|a", cp(1, 4, MerkleTree.EMPTY_ROOT, signer.nodeDid(), sig)));
        assertFalse(CheckpointSigner.signatureValid("agent|a",
                cp(1, 4, root, CheckpointSigner.ephemeral().nodeDid(), sig)));
        assertFalse(CheckpointSigner.signatureValid("agent|a", cp(1, 4, root, "not a did", sig)));
        assertFalse(CheckpointSigner.signatureValid("agent|a", cp(1, 4, root, signer.nodeDid(), "%%%")));
    }

    private static CheckpointEvent cp(long from, long to, String root, String did, String sig) {
        Chronotope c = new Chronotope(0, to + 1, 0, "p", "", HashChain.GENESIS);
        return new CheckpointEvent() {
            public long fromSeq() { return from; }
            public long toSeq() { return to; }
            public String merkleRoot() { return root; }
            public String nodeDid() { return did; }
            public String signature() { return sig; }
            public Chronotope chronotope() { return c; }
            public String details() { return ""; }
        };
    }
}
