package org.nexusswarm.memory.verify;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.encoders.Hex;
import org.nexusswarm.memory.checkpoint.MerkleTree;

/**
 * The RFC 6962 root of {@link MerkleTree}, computed leaf by leaf in O(log n) memory: it keeps only the roots
 * of the perfect subtrees seen so far (at most one per bit of n). Folding them from right to left gives the
 * same root as splitting at the largest power of two below n, so a verifier never holds the leaves of a
 * checkpoint's range, however far apart checkpoints are.
 */
final class MerkleAccumulator {

    private record Subtree(byte[] hash, long size) {}

    private final Deque<Subtree> stack = new ArrayDeque<>();
    private long leaves;

    /** Adds the next leaf: an event hash as hex. */
    void add(String leafHex) {
        Subtree next = new Subtree(sha256((byte) 0, Hex.decode(leafHex), new byte[0]), 1);
        while (!stack.isEmpty() && stack.peekLast().size() == next.size()) {
            Subtree left = stack.removeLast();
            next = new Subtree(sha256((byte) 1, left.hash(), next.hash()), left.size() * 2);
        }
        stack.addLast(next);
        leaves++;
    }

    long size() {
        return leaves;
    }

    /** The root over the leaves added so far, as lower-case hex. */
    String root() {
        if (stack.isEmpty()) {
            return MerkleTree.EMPTY_ROOT;
        }
        Iterator<Subtree> fromRight = stack.descendingIterator();
        byte[] acc = fromRight.next().hash();
        while (fromRight.hasNext()) {
            acc = sha256((byte) 1, fromRight.next().hash(), acc);
        }
        return Hex.toHexString(acc);
    }

    private static byte[] sha256(byte prefix, byte[] a, byte[] b) {
        SHA256Digest d = new SHA256Digest();
        d.update(prefix);
        d.update(a, 0, a.length);
        d.update(b, 0, b.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
