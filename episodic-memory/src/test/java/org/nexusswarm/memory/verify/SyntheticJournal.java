package org.nexusswarm.memory.verify;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * Journals written the way a safety supervisor writes them (hash chain, a signed checkpoint every N events
 * covering everything since the previous one), without an actor system, so the verifier's tests can build,
 * tamper with and stream them freely.
 */
public final class SyntheticJournal {

    static final String PID = "agent|synthetic";

    /** A plain episode event. */
    public record Note(Chronotope chronotope, String text) implements EpisodeEvent {
        @Override
        public String details() {
            return "note '" + text + "'";
        }
    }

    /** A checkpoint event. */
    public record Seal(Chronotope chronotope, long fromSeq, long toSeq, String merkleRoot, String nodeDid,
            String signature) implements CheckpointEvent {
        @Override
        public String details() {
            return "covers " + fromSeq + ".." + toSeq + " root " + merkleRoot + " by " + nodeDid;
        }
    }

    private final CheckpointSigner signer;
    private final int every;
    private long seq;
    private String lastHash = HashChain.GENESIS;
    private long windowFrom = 1;
    private MerkleAccumulator window = new MerkleAccumulator();

    /** A writer that seals whenever the next sequence number is a multiple of {@code every}. */
    SyntheticJournal(CheckpointSigner signer, int every) {
        this.signer = signer;
        this.every = every;
    }

    static Chronotope chronotope(long seq, String previousHash) {
        return new Chronotope(1_700_000_000_000L + seq, seq, seq << 16, "cell-1", "digest-" + seq, previousHash);
    }

    /** The next event: a checkpoint when due, otherwise a note. */
    EpisodeEvent next() {
        long s = ++seq;
        EpisodeEvent event;
        if (every > 0 && s % every == 0) {
            String root = window.root();
            event = new Seal(chronotope(s, lastHash), windowFrom, s - 1, root, signer.nodeDid(),
                    signer.sign(PID, windowFrom, s - 1, root));
            windowFrom = s;
            window = new MerkleAccumulator();
        } else {
            event = new Note(chronotope(s, lastHash), "event " + s);
        }
        lastHash = HashChain.hashOf(event);
        window.add(lastHash);
        return event;
    }

    /** {@code n} events as rows, collected (for small journals to tamper with). */
    static List<JournalRow> rows(CheckpointSigner signer, int every, int n) {
        SyntheticJournal journal = new SyntheticJournal(signer, every);
        List<JournalRow> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            rows.add(new JournalRow.Event(i, journal.next()));
        }
        return rows;
    }

    /** {@code n} events as rows, generated as they are consumed (for long journals). */
    static Iterator<JournalRow> stream(CheckpointSigner signer, int every, long n) {
        SyntheticJournal journal = new SyntheticJournal(signer, every);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return journal.seq < n;
            }

            @Override
            public JournalRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                EpisodeEvent e = journal.next();
                return new JournalRow.Event(journal.seq, e);
            }
        };
    }

    static EpisodeEvent event(List<JournalRow> rows, long seq) {
        return (EpisodeEvent) ((JournalRow.Event) rows.get((int) seq - 1)).event();
    }

    static void put(List<JournalRow> rows, long seq, Object event) {
        rows.set((int) seq - 1, new JournalRow.Event(seq, event));
    }

    /** {@code event} with another previous hash (what rewriting the chain does to each later event). */
    static EpisodeEvent relinked(EpisodeEvent event, String previousHash) {
        Chronotope c = event.chronotope();
        Chronotope moved = new Chronotope(c.wallTimeMillis(), c.sequence(), c.hlc(), c.place(), c.inputDigest(),
                previousHash, c.causes(), c.policyVersion(), c.logicVersion());
        if (event instanceof Seal s) {
            return new Seal(moved, s.fromSeq(), s.toSeq(), s.merkleRoot(), s.nodeDid(), s.signature());
        }
        return new Note(moved, ((Note) event).text());
    }
}
