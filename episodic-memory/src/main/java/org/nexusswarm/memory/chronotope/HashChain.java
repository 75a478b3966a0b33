package org.nexusswarm.memory.chronotope;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.encoders.Hex;

/**
 * The per-journal hash chain: each event's hash covers the previous event's hash and the event's own
 * canonical form, so changing, removing, inserting or reordering an event breaks every later link.
 */
public final class HashChain {

    /** The "previous hash" of a journal's first event. */
    public static final String GENESIS = "0".repeat(64);

    private HashChain() {}

    /** The hash of {@code event}, which must carry {@code previousHash} in its chronotope. */
    public static String hashOf(EpisodeEvent event) {
        return sha256Hex((event.chronotope().previousHash() + "\n" + event.canonicalForm())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code event} names {@code expectedPrevious} as its predecessor. */
    public static boolean linksTo(EpisodeEvent event, String expectedPrevious) {
        return expectedPrevious.equals(event.chronotope().previousHash());
    }

    /** SHA-256 of {@code bytes} as lower-case hex (Bouncy Castle). */
    public static String sha256Hex(byte[] bytes) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(bytes, 0, bytes.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return Hex.toHexString(out);
    }
}
