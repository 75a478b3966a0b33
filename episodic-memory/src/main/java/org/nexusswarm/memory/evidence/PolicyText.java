package org.nexusswarm.memory.evidence;

import java.nio.charset.StandardCharsets;
import org.nexusswarm.memory.chronotope.HashChain;

/** The text of one policy version that events cite, with its SHA-256 as journaled by the policy store. */
public record PolicyText(String text, String sha256) {

    /** A text with its SHA-256 computed here (UTF-8 bytes). */
    public static PolicyText of(String text) {
        return new PolicyText(text, HashChain.sha256Hex(text.getBytes(StandardCharsets.UTF_8)));
    }
}
