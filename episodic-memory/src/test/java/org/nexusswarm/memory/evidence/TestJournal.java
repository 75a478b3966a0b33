package org.nexusswarm.memory.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.checkpoint.MerkleTree;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * Synthetic journals shaped like a supervisor's: a chained event per second, a signed checkpoint every
 * {@code every} events tiling the journal (the checkpoint event opens the next range), and a "Started" event
 * journaling a credential at seq 1 and again at {@code restartAt}.
 */
final class TestJournal {

    static final String PID = "agent|drought-watch.agent-001";
    static final String ENTITY = "agent:drought-watch.agent-001";
    static final long T0 = 1_790_000_000_000L;

    record Decided(Chronotope chronotope, String text) implements EpisodeEvent {
        @Override
        public String details() {
            return text;
        }

        @Override
        public String canonicalForm() {
            return EpisodeEvent.super.canonicalForm() + "|did:nexus:sender";
        }
    }

    record Started(Chronotope chronotope, String credentialId, String credentialJson) implements EpisodeEvent {
        @Override
        public String details() {
            return "logic started with credential " + credentialId + " sha256="
                    + HashChain.sha256Hex(credentialJson.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Checkpointed(Chronotope chronotope, long fromSeq, long toSeq, String merkleRoot, String nodeDid,
            String signature) implements CheckpointEvent {
        @Override
        public String details() {
            return "events " + fromSeq + ".." + toSeq + " root " + merkleRoot + " by " + nodeDid;
        }
    }

    static final CitedCredential.Citation CITATION = e -> e instanceof Started s
            ? Optional.of(new CitedCredential(s.credentialId(), s.credentialJson(), s.chronotope().sequence()))
            : Optional.empty();

    static List<EpisodeEvent> build(int n, int every, long restartAt, CheckpointSigner signer) {
        List<EpisodeEvent> events = new ArrayList<>();
        List<String> rangeHashes = new ArrayList<>();
        long rangeFrom = 1;
        String previous = HashChain.GENESIS;
        for (long seq = 1; seq <= n; seq++) {
            List<String> causes = seq == 1 ? List.of("external:feed") : List.of(PID + "#" + (seq - 1));
            Chronotope c = new Chronotope(T0 + seq * 1000, seq, (T0 + seq * 1000) << 16, "cell-7",
                    HashChain.sha256Hex(("in" + seq).getBytes(StandardCharsets.UTF_8)), previous, causes,
                    "rail:drought-watch@" + (seq < 150 ? 1 : 2), "drought-watch/1.0");
            EpisodeEvent e;
            if (seq == 1 || seq == restartAt) {
                e = new Started(c, "cred-" + seq, "{\"id\":\"cred-" + seq + "\",\"subject\":\"" + ENTITY + "\"}");
            } else if (seq > 1 && (seq - 1) % every == 0) {
                String root = MerkleTree.root(rangeHashes);
                e = new Checkpointed(c, rangeFrom, seq - 1, root, signer.nodeDid(),
                        signer.sign(PID, rangeFrom, seq - 1, root));
                rangeHashes.clear();
                rangeFrom = seq;
            } else {
                e = new Decided(c, "ActionAllowed irrigate -> valve-" + seq + " ünder rule r" + (seq % 3));
            }
            previous = HashChain.hashOf(e);
            rangeHashes.add(previous);
            events.add(e);
        }
        return events;
    }

    static java.time.Instant at(long seq) {
        return java.time.Instant.ofEpochMilli(T0 + seq * 1000);
    }

    private TestJournal() {}
}
