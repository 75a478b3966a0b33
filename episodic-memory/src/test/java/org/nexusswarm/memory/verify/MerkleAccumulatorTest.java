package org.nexusswarm.memory.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.memory.checkpoint.MerkleTree;
import org.nexusswarm.memory.chronotope.HashChain;

class MerkleAccumulatorTest {

    @Test
    void incrementalRootEqualsTheRfc6962TreeForEverySize() {
        MerkleAccumulator acc = new MerkleAccumulator();
        List<String> leaves = new ArrayList<>();
        assertEquals(MerkleTree.root(leaves), acc.root());
        for (int n = 1; n <= 130; n++) {
            String leaf = HashChain.sha256Hex(("leaf " + n).getBytes(StandardCharsets.UTF_8));
            leaves.add(leaf);
            acc.add(leaf);
            assertEquals(MerkleTree.root(leaves), acc.root(), "n = " + n);
        }
        assertEquals(130, acc.size());
    }
}
