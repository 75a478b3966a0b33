package org.nexusswarm.memory.evidence;

import org.nexusswarm.memory.chronotope.HashChain;

/**
 * SHA-256 for evidence packs: the project's one digest, Bouncy Castle's ({@link HashChain#sha256Hex}), so all
 * cryptography goes through one audited provider (the JDK's intrinsic digest would be faster on large packs).
 */
final class Sha256 {

    private Sha256() {}

    static String hex(byte[] bytes) {
        return HashChain.sha256Hex(bytes);
    }
}
