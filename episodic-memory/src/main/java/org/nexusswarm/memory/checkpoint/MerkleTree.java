package org.nexusswarm.memory.checkpoint;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.encoders.Hex;

/**
 * The Merkle tree hash of RFC 6962 (Certificate Transparency) over a list of event hashes: leaves are
 * {@code SHA-256(0x00 || leaf)}, inner nodes {@code SHA-256(0x01 || left || right)}, and a list of n leaves
 * splits at the largest power of two below n. The domain prefixes keep a leaf from passing as an inner node.
 *
 * <p>Written here because Bouncy Castle offers the hash but no Merkle tree; the function is small and fixed
 * by the RFC, so checkpoints and evidence packs can be checked by any RFC 6962 implementation.
 */
public final class MerkleTree {

    /** The root of an empty list: SHA-256 of nothing (RFC 6962, section 2.1). */
    public static final String EMPTY_ROOT = Hex.toHexString(sha256(new byte[0], new byte[0], new byte[0]));

    private MerkleTree() {}

    /** The root over {@code leaves}, each a hex SHA-256 (an event hash), as lower-case hex. */
    public static String root(List<String> leaves) {
        if (leaves.isEmpty()) {
            return EMPTY_ROOT;
        }
        List<byte[]> level = new ArrayList<>(leaves.size());
        for (String leaf : leaves) {
            level.add(sha256(new byte[] {0}, Hex.decode(leaf), new byte[0]));
        }
        return Hex.toHexString(rootOf(level, 0, level.size()));
    }

    private static byte[] rootOf(List<byte[]> leafHashes, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leafHashes.get(from);
        }
        int k = Integer.highestOneBit(n - 1);
        return sha256(new byte[] {1}, rootOf(leafHashes, from, from + k), rootOf(leafHashes, from + k, to));
    }

    private static byte[] sha256(byte[] a, byte[] b, byte[] c) {
        SHA256Digest d = new SHA256Digest();
        d.update(a, 0, a.length);
        d.update(b, 0, b.length);
        d.update(c, 0, c.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
