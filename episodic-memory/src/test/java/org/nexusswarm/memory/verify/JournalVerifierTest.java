package org.nexusswarm.memory.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nexusswarm.memory.verify.SyntheticJournal.PID;
import static org.nexusswarm.memory.verify.SyntheticJournal.event;
import static org.nexusswarm.memory.verify.SyntheticJournal.put;
import static org.nexusswarm.memory.verify.SyntheticJournal.relinked;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.verify.Finding.Kind;
import org.nexusswarm.memory.verify.SyntheticJournal.Note;
import org.nexusswarm.memory.verify.SyntheticJournal.Seal;

/**
 * Each kind of tampering, done to a synthetic journal of 35 events with checkpoints at 10, 20 and 30, is
 * found at the right sequence number; an intact journal passes; a million events stream through.
 */
class JournalVerifierTest {

    private static final CheckpointSigner NODE = CheckpointSigner.ephemeral();
    private static final TrustedNodes TRUST = TrustedNodes.of(List.of(NODE.nodeDid()));

    private static List<JournalRow> journal() {
        return SyntheticJournal.rows(NODE, 10, 35);
    }

    private static Verification verify(List<JournalRow> rows) {
        return JournalVerifier.verify(PID, rows.iterator(), TRUST);
    }

    private static void assertFirst(Verification v, long seq, Kind kind, String text) {
        assertFalse(v.intact(), v.toString());
        Finding first = v.firstError().orElseThrow();
        assertEquals(seq, first.sequenceNr(), first.toString());
        assertEquals(kind, first.kind(), first.toString());
        assertTrue(first.message().contains(text), first.message());
    }

    @Test
    void anIntactJournalPassesAndNamesItsUncoveredTail() {
        Verification v = verify(journal());
        assertTrue(v.intact(), v.toString());
        assertEquals(35, v.rows());
        assertEquals(3, v.checkpoints());
        assertEquals(5, v.tailEvents());
        assertEquals(0, v.errors());
        assertEquals(List.of("events 31..35 follow the last checkpoint (seq 30) and are protected by the hash chain only"),
                v.findings().stream().map(Finding::message).toList());
    }

    @Test
    void withoutTrustSignaturesAreCheckedButAnUnknownSignerIsOnlyAWarning() {
        Verification v = JournalVerifier.verify(PID, journal().iterator(), TrustedNodes.none());
        assertTrue(v.intact(), v.toString());
        assertEquals(1, v.findings().stream().filter(f -> f.kind() == Kind.UNTRUSTED_SIGNER).count());
    }

    @Test
    void aChangedPayloadIsPinnedToItsSequenceNumber() {
        List<JournalRow> rows = journal();
        put(rows, 12, new Note(event(rows, 12).chronotope(), "something else"));
        Verification v = verify(rows);
        assertFirst(v, 12, Kind.CHANGED, "seq 12: event content was changed (its hash no longer matches the "
                + "previousHash recorded by seq 13)");
        assertTrue(v.findings().stream().anyMatch(f -> f.kind() == Kind.ROOT_MISMATCH && f.sequenceNr() == 20
                && f.message().contains("follows from the finding at seq 12")), v.toString());
    }

    @Test
    void aChangeJustBeforeACheckpointIsCaughtByTheCheckpointsLink() {
        List<JournalRow> rows = journal();
        put(rows, 19, new Note(event(rows, 19).chronotope(), "edited"));
        assertFirst(verify(rows), 19, Kind.CHANGED, "recorded by the checkpoint at seq 20");
    }

    @Test
    void aDeletedEventIsReportedAsMissing() {
        List<JournalRow> rows = journal();
        rows.remove(14);
        assertFirst(verify(rows), 15, Kind.MISSING, "seq 15 missing (rows jump from 14 to 16)");
    }

    @Test
    void anInsertedCorrectlyLinkedEventIsNamed() {
        List<JournalRow> rows = journal();
        List<JournalRow> tampered = new ArrayList<>(rows.subList(0, 14));
        String before = HashChain.hashOf(event(rows, 14));
        tampered.add(new JournalRow.Event(15, new Note(SyntheticJournal.chronotope(15, before), "forged")));
        for (JournalRow r : rows.subList(14, rows.size())) {
            tampered.add(new JournalRow.Event(r.sequenceNr() + 1, ((JournalRow.Event) r).event()));
        }
        Verification v = verify(tampered);
        assertFirst(v, 15, Kind.INSERTED, "seq 15: event inserted (the event written as seq 15 now sits at row 16");
        assertEquals(1, v.findings().stream().filter(f -> f.kind() == Kind.INSERTED || f.kind() == Kind.MOVED).count(),
                "later shifted rows are not reported one by one: " + v);
    }

    @Test
    void twoSwappedEventsAreReportedAsASwap() {
        for (long[] pair : new long[][] {{14, 15}, {13, 17}}) {
            List<JournalRow> rows = journal();
            EpisodeEvent a = event(rows, pair[0]);
            put(rows, pair[0], event(rows, pair[1]));
            put(rows, pair[1], a);
            Verification v = verify(rows);
            assertFirst(v, pair[0], Kind.SWAPPED, "seq " + pair[0] + " and seq " + pair[1] + " swapped");
            assertTrue(v.findings().stream().noneMatch(f -> f.kind() == Kind.MOVED), v.toString());
        }
    }

    @Test
    void anAlteredLinkIsReportedOnTheEventThatCarriesIt() {
        List<JournalRow> rows = journal();
        put(rows, 16, relinked(event(rows, 16), HashChain.sha256Hex(new byte[] {1})));
        assertFirst(verify(rows), 16, Kind.BROKEN_LINK,
                "seq 16: previousHash does not link to seq 15 (the event at seq 16 was altered)");
    }

    @Test
    void aRewriteWithARecomputedChainIsCaughtOnlyByTheCheckpoint() {
        List<JournalRow> rows = journal();
        put(rows, 12, new Note(event(rows, 12).chronotope(), "rewritten"));
        for (long s = 13; s <= 35; s++) {
            put(rows, s, relinked(event(rows, s), HashChain.hashOf(event(rows, s - 1))));
        }
        Verification v = verify(rows);
        assertFirst(v, 20, Kind.ROOT_MISMATCH, "checkpoint at seq 20: Merkle root does not match events 10..19 "
                + "(the hash chain there is intact, so events 10..19 were rewritten with a recomputed chain)");
        assertTrue(v.findings().stream().noneMatch(f -> f.kind() == Kind.CHANGED || f.kind() == Kind.BROKEN_LINK));
        assertTrue(v.findings().stream().anyMatch(f -> f.sequenceNr() == 30
                && f.message().contains("follows from the rewrite found by the checkpoint at seq 20")), v.toString());
    }

    @Test
    void aCheckpointReSignedWithAForeignKeyIsUntrustedAndItsRootIsWrong() {
        List<JournalRow> rows = journal();
        Seal real = (Seal) event(rows, 20);
        CheckpointSigner mallory = CheckpointSigner.ephemeral();
        String root = HashChain.sha256Hex("forged".getBytes());
        put(rows, 20, new Seal(real.chronotope(), real.fromSeq(), real.toSeq(), root, mallory.nodeDid(),
                mallory.sign(PID, real.fromSeq(), real.toSeq(), root)));
        Verification v = verify(rows);
        assertFirst(v, 20, Kind.UNTRUSTED_SIGNER,
                "checkpoint at seq 20: signed by " + mallory.nodeDid() + " which is not a trusted node key");
        assertTrue(v.findings().stream().anyMatch(f -> f.kind() == Kind.ROOT_MISMATCH && f.sequenceNr() == 20
                && f.message().equals("checkpoint at seq 20: Merkle root does not match events 10..19 "
                        + "(the checkpoint itself is not genuine)")), v.toString());
    }

    @Test
    void aCheckpointWithABadSignatureIsReported() {
        List<JournalRow> rows = journal();
        Seal real = (Seal) event(rows, 20);
        String other = NODE.sign(PID, real.fromSeq(), real.toSeq(), HashChain.sha256Hex(new byte[] {2}));
        put(rows, 20, new Seal(real.chronotope(), real.fromSeq(), real.toSeq(), real.merkleRoot(), real.nodeDid(),
                other));
        Verification v = verify(rows);
        assertTrue(v.findings().stream().anyMatch(f -> f.sequenceNr() == 20 && f.kind() == Kind.SIGNATURE_INVALID
                && f.message().startsWith("checkpoint at seq 20: signature invalid")), v.toString());
        assertEquals(20, v.firstError().orElseThrow().sequenceNr());
    }

    @Test
    void aRowThatNoLongerDeserializesIsNamedAndTheRestIsStillChecked() {
        List<JournalRow> rows = journal();
        rows.set(6, new JournalRow.Unreadable(7, 1234, "k2", "KryoException: Buffer underflow."));
        put(rows, 25, new Note(event(rows, 25).chronotope(), "edited"));
        Verification v = verify(rows);
        assertFirst(v, 7, Kind.UNREADABLE, "seq 7: row does not deserialize: KryoException: Buffer underflow.");
        assertTrue(v.findings().stream().anyMatch(f -> f.kind() == Kind.ROOT_UNCHECKED && f.sequenceNr() == 10));
        assertTrue(v.findings().stream().anyMatch(f -> f.kind() == Kind.CHANGED && f.sequenceNr() == 25), v.toString());
    }

    @Test
    void aMillionEventJournalStreamsThrough() {
        long n = 1_000_000;
        Verification v = JournalVerifier.verify(PID, SyntheticJournal.stream(NODE, 100, n), TRUST);
        assertTrue(v.intact(), v.toString());
        assertEquals(n, v.rows());
        assertEquals(n / 100, v.checkpoints());
    }
}
