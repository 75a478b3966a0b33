package org.nexusswarm.memory.evidence;

import java.time.Duration;
import java.util.List;

/**
 * Measures offline verification throughput (events per second) for the benchmark: verifies the same pack
 * repeatedly for at least a given time, after one warm-up round. Includes parsing, seal, every event hash,
 * the chain, Merkle roots and checkpoint signatures: everything {@code swarm aep verify} does.
 */
public final class VerifyRate {

    /** @param valid whether the pack verified (a rate over an invalid pack is not a fair figure) */
    public record Rate(int eventsPerPack, int rounds, double seconds, double eventsPerSecond, long packBytes,
            boolean valid) {}

    private VerifyRate() {}

    public static Rate measure(byte[] pack, Duration atLeast, List<String> trustedNodes) {
        EvidencePackVerifier verifier = new EvidencePackVerifier(trustedNodes);
        VerificationResult first = verifier.verify(pack);
        int events = first.summary() == null ? 0 : first.summary().events();
        int rounds = 0;
        long start = System.nanoTime();
        long deadline = start + atLeast.toNanos();
        do {
            verifier.verify(pack);
            rounds++;
        } while (System.nanoTime() < deadline || rounds < 3);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Rate(events, rounds, seconds, events * (double) rounds / seconds, pack.length, first.valid());
    }
}
