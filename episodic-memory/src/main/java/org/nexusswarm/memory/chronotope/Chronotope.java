package org.nexusswarm.memory.chronotope;

import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * Where and when an episode event happened, what it follows from and under which rules: the "chronotope" on
 * every event.
 *
 * @param wallTimeMillis  wall-clock time at the deciding node (epoch millis)
 * @param sequence        per-entity sequence number, 1-based, equal to the journal sequence number
 * @param hlc             hybrid logical clock (see {@link HybridLogicalClock}): orders events across entities
 * @param place           region or cell id the entity acts in
 * @param inputDigest     SHA-256 (hex) of the input that caused the event, e.g. an envelope's signed bytes
 * @param previousHash    hash of the previous event of the same journal ({@link HashChain#GENESIS} for the first)
 * @param causes          references to the events that led to this one, in this journal or in others'
 *                        ({@link CauseRef} text form {@code persistenceId#sequence}, or {@code external:...})
 * @param policyVersion   the policy versions in force ({@code rail:drought-watch@3,...}), or "" if none apply
 * @param logicVersion    the version of the entity's logic in force
 */
public record Chronotope(
        long wallTimeMillis, long sequence, long hlc, String place, String inputDigest, String previousHash,
        List<String> causes, String policyVersion, String logicVersion)
        implements SwarmMessage {

    public Chronotope {
        causes = causes == null ? List.of() : List.copyOf(causes);
        policyVersion = policyVersion == null ? "" : policyVersion;
        logicVersion = logicVersion == null ? "" : logicVersion;
    }

    /** A chronotope with no causes and no versions (tests, and events of stored format 1). */
    public Chronotope(long wallTimeMillis, long sequence, long hlc, String place, String inputDigest,
            String previousHash) {
        this(wallTimeMillis, sequence, hlc, place, inputDigest, previousHash, List.of(), "", "");
    }

    /**
     * The stable text form that the hash chain covers. The fields added in stored format 2 (causes and
     * versions) are appended only when set, so events written in format 1 hash exactly as they did then and
     * old journals keep verifying.
     */
    public String canonicalForm() {
        String base = sequence + "|" + wallTimeMillis + "|" + hlc + "|" + place + "|" + inputDigest + "|"
                + previousHash;
        if (causes.isEmpty() && policyVersion.isEmpty() && logicVersion.isEmpty()) {
            return base;
        }
        return base + "|causes=" + String.join(",", causes) + "|policy=" + policyVersion + "|logic=" + logicVersion;
    }

    /** The shape of stored format 1 (kept to read old journals; never written). */
    public record V1(long wallTimeMillis, long sequence, long hlc, String place, String inputDigest,
            String previousHash) {
        public Chronotope upgrade() {
            return new Chronotope(wallTimeMillis, sequence, hlc, place, inputDigest, previousHash);
        }
    }
}
