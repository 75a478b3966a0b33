package org.nexusswarm.memory.chronotope;

import org.nexusswarm.actors.SwarmMessage;

/**
 * Where and when an episode event happened, and what it follows from: the "chronotope" on every event.
 *
 * @param wallTimeMillis  wall-clock time at the deciding node (epoch millis)
 * @param sequence        per-entity sequence number, 1-based, equal to the journal sequence number
 * @param hlc             hybrid logical clock (see {@link HybridLogicalClock}): orders events across entities
 * @param place           region or cell id the entity acts in
 * @param inputDigest     SHA-256 (hex) of the input that caused the event, e.g. an envelope's signed bytes
 * @param previousHash    hash of the previous event of the same journal ({@link HashChain#GENESIS} for the first)
 */
public record Chronotope(
        long wallTimeMillis, long sequence, long hlc, String place, String inputDigest, String previousHash)
        implements SwarmMessage {

    /** The stable text form that the hash chain covers. */
    public String canonicalForm() {
        return sequence + "|" + wallTimeMillis + "|" + hlc + "|" + place + "|" + inputDigest + "|" + previousHash;
    }
}
