package org.nexusswarm.coordinator.bench;

import java.util.ArrayList;
import java.util.List;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.checkpoint.MerkleTree;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * Generates a long, valid episode journal for the reviewer benchmark: observations with real payload bytes,
 * chained by hash and sealed by a signed checkpoint every {@code checkpointEvery} events, exactly as a
 * supervisor tiles them (each checkpoint covers every event since the previous one, that one included).
 * One event at a time: a million-event journal never sits in memory.
 */
final class SyntheticEpisode {

    private final String persistenceId;
    private final CheckpointSigner signer;
    private final int checkpointEvery;
    private final byte[] payload = new byte[64];
    private final List<String> window = new ArrayList<>();
    private long windowFrom = 1;
    private long sequence;
    private long hlc;
    private String lastHash = HashChain.GENESIS;
    private final long startMillis;

    SyntheticEpisode(String persistenceId, CheckpointSigner signer, int checkpointEvery, long startMillis) {
        this.persistenceId = persistenceId;
        this.signer = signer;
        this.checkpointEvery = checkpointEvery;
        this.startMillis = startMillis;
    }

    /** The next event of the journal (a checkpoint whenever one is due). */
    SafetyEvent next() {
        long now = startMillis + sequence;
        hlc = HybridLogicalClock.tick(hlc, now);
        sequence++;
        SafetyEvent event;
        if (window.size() >= checkpointEvery) {
            long from = windowFrom;
            long to = sequence - 1;
            String root = MerkleTree.root(window);
            event = new SafetyEvent.Checkpointed(chronotope(now, List.of(persistenceId + "#" + to)), from, to, root,
                    signer.nodeDid(), signer.sign(persistenceId, from, to, root));
            window.clear();
            windowFrom = sequence;
        } else {
            payload[(int) (sequence % payload.length)]++;
            event = new SafetyEvent.Observed(chronotope(now, List.of("external:bench-feed")), "external:bench-feed",
                    "did:nexus:bench", "Reading", sequence, payload);
        }
        lastHash = HashChain.hashOf(event);
        window.add(lastHash);
        return event;
    }

    private Chronotope chronotope(long now, List<String> causes) {
        return new Chronotope(now, sequence, hlc, "cell-bench", "", lastHash, causes, "rail:bench@1", "bench/1");
    }
}
