package org.nexusswarm.memory.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.verify.Finding.Kind;

/**
 * Checks one journal, row by row in storage order, for every kind of tampering the hash chain and the signed
 * checkpoints can reveal, and says where: changed, deleted, inserted, moved or swapped events, broken links,
 * forged or untrusted checkpoints, rows that no longer deserialize.
 *
 * <p>Streaming and pure: feed rows with {@link #accept}, then call {@link #finish}. Memory does not grow with
 * the journal: the state is the last two event hashes, one pending link, the Merkle subtree roots since the
 * last checkpoint (O(log N), {@link MerkleAccumulator}) and the findings (at most {@link #MAX_FINDINGS}).
 *
 * <p>How a broken link is attributed: if event k does not link to event k-1, either k-1's content changed or
 * k's link did. The next row decides: if k+1 still links to k, k is untouched, so k-1 was changed; otherwise
 * k itself was altered. A link break next to a row that is missing, moved or unreadable is not reported
 * separately: that finding already explains it. Checkpoint ranges are judged by the events' own (hashed)
 * sequence numbers, so a shifted row does not make every later checkpoint look misplaced.
 */
public final class JournalVerifier {

    /** Findings kept per journal; later ones are counted, not kept. */
    public static final int MAX_FINDINGS = 200;
    private static final int MAX_TRACKED_MOVES = 1024;
    private static final int MAX_WARNED_SIGNERS = 16;

    private record Pending(long row, long previousRow, String hash, boolean checkpoint) {}

    private record RootMismatch(long checkpointRow, long from, long to) {}

    private final String persistenceId;
    private final TrustedNodes trust;
    private final List<Finding> findings = new ArrayList<>();
    private long errors;

    private long nextRow = 1;
    private long rows;
    private long lastRow;
    private long checkpoints;

    // What the previous row left behind (prevHash null: the previous row was unreadable).
    private String prevHash = HashChain.GENESIS;
    private String prevPrevHash;
    private long prevChrono;
    private long prevRow;
    private boolean prevDisturbed;
    private Pending pending;
    // Rows that hold another sequence number's event (row -> the sequence it holds), to pair up swaps.
    private final Map<Long, Long> moved = new HashMap<>();

    // The checkpoint window: events since the last checkpoint (that checkpoint included).
    private long windowFrom = 1;
    private MerkleAccumulator window = new MerkleAccumulator();
    private long windowUnreadable = -1;
    private long lastCheckpointRow;
    private final Set<String> warnedSigners = new HashSet<>();
    private final List<RootMismatch> rootMismatches = new ArrayList<>();

    public JournalVerifier(String persistenceId, TrustedNodes trust) {
        this.persistenceId = persistenceId;
        this.trust = trust;
    }

    /** Verifies all of {@code rows} (consumed as it goes, never collected). */
    public static Verification verify(String persistenceId, Iterator<JournalRow> rows, TrustedNodes trust) {
        JournalVerifier verifier = new JournalVerifier(persistenceId, trust);
        rows.forEachRemaining(verifier::accept);
        return verifier.finish();
    }

    /** The next row in storage order. */
    public void accept(JournalRow row) {
        long s = row.sequenceNr();
        rows++;
        boolean disturbed = checkRowOrder(s);
        lastRow = Math.max(lastRow, s);

        if (row instanceof JournalRow.Unreadable u) {
            resolvePending(false, null);
            error(s, Kind.UNREADABLE, "seq " + s + ": row does not deserialize: " + u.error());
            unknownRow(s);
            return;
        }
        Object event = ((JournalRow.Event) row).event();
        if (!(event instanceof EpisodeEvent e)) {
            resolvePending(false, null);
            error(s, Kind.NOT_EPISODE, "seq " + s + ": holds a " + typeOf(event)
                    + ", not an episode event (no chronotope, no hash link)");
            unknownRow(s);
            return;
        }

        long chrono = e.chronotope().sequence();
        String previous = e.chronotope().previousHash();
        String hash = HashChain.hashOf(e);
        boolean discontinuous = chrono != prevChrono + 1;
        if (discontinuous && chrono != s) {
            placement(s, chrono, previous);
            disturbed = true;
        }

        boolean explained = disturbed || discontinuous || prevDisturbed || prevHash == null;
        explained |= resolvePending(!disturbed && !discontinuous, previous);
        if (prevHash != null && !previous.equals(prevHash) && !explained) {
            if (HashChain.GENESIS.equals(prevHash) && prevRow == 0) {
                error(s, Kind.BROKEN_LINK, "seq " + s + ": the first event does not start the chain "
                        + "(its previousHash is not the genesis hash)");
            } else {
                pending = new Pending(s, prevRow, hash, e instanceof CheckpointEvent);
            }
        }

        if (e instanceof CheckpointEvent checkpoint) {
            checkCheckpoint(s, chrono, checkpoint);
            startWindow(chrono, hash);
        } else {
            window.add(hash);
        }
        prevPrevHash = prevHash;
        prevHash = hash;
        prevChrono = chrono;
        prevRow = s;
        prevDisturbed = disturbed;
    }

    /** The result; call once, after the last row. */
    public Verification finish() {
        if (pending != null) {
            error(pending.row(), Kind.BROKEN_LINK, "seq " + pending.row() + ": previousHash does not link to seq "
                    + pending.previousRow() + " (seq " + pending.previousRow() + " was changed, or seq "
                    + pending.row() + "'s link was)");
            pending = null;
        }
        long tail = checkpoints == 0 ? rows : Math.max(0, lastRow - lastCheckpointRow);
        if (checkpoints == 0 && rows > 0) {
            warning(lastRow, Kind.TAIL, "events 1.." + lastRow
                    + " are covered by no checkpoint: they are protected by the hash chain only");
        } else if (lastRow > lastCheckpointRow) {
            warning(lastCheckpointRow + 1, Kind.TAIL, "events " + (lastCheckpointRow + 1) + ".." + lastRow
                    + " follow the last checkpoint (seq " + lastCheckpointRow
                    + ") and are protected by the hash chain only");
        }
        explainRootMismatches();
        // By sequence number; at one checkpoint, a forged or bad signature says most, so it comes first.
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingLong(Finding::sequenceNr).thenComparingInt(
                f -> f.kind() == Kind.SIGNATURE_INVALID || f.kind() == Kind.UNTRUSTED_SIGNER ? 0 : 1));
        return new Verification(persistenceId,
                errors == 0 ? Verification.Verdict.OK : Verification.Verdict.BROKEN,
                rows, checkpoints, tail, errors, sorted);
    }

    /** Gaps and repeats in the stored sequence numbers; true when this row is out of place. */
    private boolean checkRowOrder(long s) {
        boolean disturbed = false;
        if (s > nextRow) {
            String missing = s - nextRow == 1 ? "seq " + nextRow : "seq " + nextRow + ".." + (s - 1);
            error(nextRow, Kind.MISSING, missing + " missing (rows jump from " + (nextRow - 1) + " to " + s + ")");
            disturbed = true;
        } else if (s < nextRow) {
            error(s, Kind.DUPLICATE, "seq " + s + " stored again after seq " + (nextRow - 1)
                    + " (a row was added under a sequence number in use)");
            disturbed = true;
        }
        nextRow = Math.max(nextRow, s + 1);
        return disturbed;
    }

    /** Row {@code s} holds the event written as {@code chrono}: inserted, swapped or moved. */
    private void placement(long s, long chrono, String previous) {
        if (chrono == prevChrono && previous.equals(prevPrevHash)) {
            // Two events name the same predecessor and sequence: the first of them is the intruder.
            error(prevRow, Kind.INSERTED, "seq " + prevRow + ": event inserted (the event written as seq " + chrono
                    + " now sits at row " + s + ", and the rows after it are shifted)");
            return;
        }
        Long heldThere = moved.remove(chrono);
        if (heldThere != null && heldThere == s) {
            boolean replaced = findings.removeIf(f -> f.kind() == Kind.MOVED && f.sequenceNr() == chrono);
            if (replaced) {
                errors--;
            }
            error(chrono, Kind.SWAPPED, "seq " + chrono + " and seq " + s + " swapped (row " + chrono
                    + " holds the event written as seq " + s + ", row " + s + " the one written as seq " + chrono + ")");
            return;
        }
        if (moved.size() < MAX_TRACKED_MOVES) {
            moved.put(s, chrono);
        }
        error(s, Kind.MOVED, "row " + s + " holds the event written as seq " + chrono
                + (chrono < s ? " (events moved or inserted before it)" : " (events before it deleted or moved)"));
    }

    /**
     * Decides a broken link left pending by the previous row, now that this row is known. Returns true when
     * this row's own broken link follows from that decision.
     */
    private boolean resolvePending(boolean inPlace, String previous) {
        if (pending == null) {
            return false;
        }
        Pending p = pending;
        pending = null;
        String recorder = (p.checkpoint() ? "the checkpoint at seq " : "seq ") + p.row();
        if (inPlace && previous.equals(p.hash())) {
            error(p.previousRow(), Kind.CHANGED, "seq " + p.previousRow() + ": event content was changed (its hash "
                    + "no longer matches the previousHash recorded by " + recorder + ")");
            return false;
        }
        error(p.row(), Kind.BROKEN_LINK, "seq " + p.row() + ": previousHash does not link to seq " + p.previousRow()
                + (inPlace ? " (the event at seq " + p.row() + " was altered)" : ""));
        return inPlace;
    }

    private void checkCheckpoint(long s, long chrono, CheckpointEvent cp) {
        checkpoints++;
        String at = "checkpoint at seq " + s;
        long from = windowFrom;
        long to = chrono - 1;
        if (cp.fromSeq() != from || cp.toSeq() != to) {
            error(s, Kind.CHECKPOINT_RANGE, at + " covers " + cp.fromSeq() + ".." + cp.toSeq()
                    + ", but the events since the previous checkpoint are " + from + ".." + to
                    + (checkpoints == 1 && from == 1 && cp.fromSeq() > 1 && cp.toSeq() == to
                            ? " (or events 1.." + (cp.fromSeq() - 1) + " were written by a build before checkpoints"
                                    + " existed, stored format 1: their rows then say manifest k1)"
                            : " (a checkpoint was removed, moved or forged)"));
        } else if (windowUnreadable >= 0) {
            warning(s, Kind.ROOT_UNCHECKED, at + ": Merkle root not checked: seq " + windowUnreadable
                    + " in its range does not deserialize");
        } else if (!window.root().equals(cp.merkleRoot())) {
            error(s, Kind.ROOT_MISMATCH, at + ": Merkle root does not match events " + from + ".." + to);
            if (rootMismatches.size() < MAX_FINDINGS) {
                rootMismatches.add(new RootMismatch(s, from, to));
            }
        }
        String did = cp.nodeDid();
        if (!CheckpointSigner.signatureValid(persistenceId, cp)) {
            error(s, Kind.SIGNATURE_INVALID, at + ": signature invalid (not " + did
                    + "'s signature over this journal, range and root)");
        } else if (trust.isEmpty()) {
            if (warnedSigners.size() < MAX_WARNED_SIGNERS && warnedSigners.add(did)) {
                warning(s, Kind.UNTRUSTED_SIGNER, at + ": signer " + did + " is not in the trust list "
                        + "(no trusted node keys configured, so the signature proves integrity but not origin)");
            }
        } else if (!trust.trusts(did)) {
            error(s, Kind.UNTRUSTED_SIGNER, at + ": signed by " + did + " which is not a trusted node key");
        }
        lastCheckpointRow = s;
    }

    private void startWindow(long chrono, String checkpointHash) {
        windowFrom = chrono;
        window = new MerkleAccumulator();
        window.add(checkpointHash);
        windowUnreadable = -1;
    }

    /** A row with no hash: the next link cannot be checked and the window's root cannot be recomputed. */
    private void unknownRow(long s) {
        if (windowUnreadable < 0) {
            windowUnreadable = s;
        }
        prevPrevHash = prevHash;
        prevHash = null;
        prevChrono = s;
        prevRow = s;
        prevDisturbed = true;
    }

    /**
     * Says why each root mismatch happened: damage found in its range, or, when the chain there is intact, a
     * rewrite with a recomputed chain (which then runs on through every later checkpoint's range).
     */
    private void explainRootMismatches() {
        RootMismatch firstRewrite = null;
        for (RootMismatch m : rootMismatches) {
            boolean forged = findings.stream().anyMatch(f -> f.isError() && f.sequenceNr() == m.checkpointRow()
                    && (f.kind() == Kind.SIGNATURE_INVALID || f.kind() == Kind.UNTRUSTED_SIGNER));
            Finding cause = findings.stream()
                    .filter(f -> f.isError() && f.kind() != Kind.ROOT_MISMATCH
                            && f.sequenceNr() >= m.from() && f.sequenceNr() <= m.to())
                    .min(Comparator.comparingLong(Finding::sequenceNr)).orElse(null);
            String why;
            if (forged) {
                why = " (the checkpoint itself is not genuine)";
            } else if (cause != null) {
                why = " (follows from the finding at seq " + cause.sequenceNr() + ")";
            } else if (firstRewrite != null) {
                why = " (follows from the rewrite found by the checkpoint at seq " + firstRewrite.checkpointRow()
                        + ": a recomputed chain changes every later event's hash)";
            } else {
                firstRewrite = m;
                why = " (the hash chain there is intact, so events " + m.from() + ".." + m.to()
                        + " were rewritten with a recomputed chain)";
            }
            findings.replaceAll(f -> f.kind() == Kind.ROOT_MISMATCH && f.sequenceNr() == m.checkpointRow()
                    ? new Finding(f.sequenceNr(), f.kind(), f.severity(), f.message() + why) : f);
        }
    }

    private static String typeOf(Object event) {
        return event == null ? "null" : event.getClass().getSimpleName();
    }

    private void error(long seq, Kind kind, String message) {
        errors++;
        keep(Finding.error(seq, kind, message));
    }

    private void warning(long seq, Kind kind, String message) {
        keep(Finding.warning(seq, kind, message));
    }

    private void keep(Finding finding) {
        if (findings.size() < MAX_FINDINGS) {
            findings.add(finding);
        }
    }
}
