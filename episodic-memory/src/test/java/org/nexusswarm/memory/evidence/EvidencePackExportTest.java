package org.nexusswarm.memory.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.journal.JournalEntry;

/** Export and verify round trips: window widening to checkpoint ranges, citations, seal, streaming. */
class EvidencePackExportTest {

    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final CheckpointSigner NODE = CheckpointSigner.ephemeral();
    private static final List<EpisodeEvent> JOURNAL = TestJournal.build(250, 100, 150, NODE);
    private static final Instant EXPORTED = Instant.parse("2026-11-21T08:00:00Z");

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static ExportWindow window(Instant from, Instant to) {
        return EvidencePackExporter.collect(JOURNAL,
                new ExportWindow.Request(TestJournal.PID, TestJournal.ENTITY, from, to), TestJournal.CITATION);
    }

    private static byte[] export(ExportWindow w) {
        return EvidencePackExporter.write(w, Map.of("rail:drought-watch@1", PolicyText.of("policy v1 text"),
                "rail:drought-watch@2", PolicyText.of("policy v2 text")), null, EXPORTED);
    }

    @Test
    void aWindowInsideARangeIsWidenedToTheRangeAndItsCheckpoint() {
        ExportWindow w = window(TestJournal.at(120), TestJournal.at(130));
        assertEquals(101, w.events().get(0).chronotope().sequence());
        assertEquals(201, w.events().get(w.events().size() - 1).chronotope().sequence());
        VerificationResult r = new EvidencePackVerifier(List.of(NODE.nodeDid())).verify(export(w));
        assertTrue(r.valid(), r.findings().toString());
        assertEquals(1, r.summary().checkpoints());
        assertEquals(List.of(NODE.nodeDid()), r.summary().signers());
        // The checkpoint event closing the pack opens the next range, which is not in the pack.
        assertEquals(List.of(Finding.Kind.UNCOVERED_EVENTS, Finding.Kind.CREDENTIAL_UNBOUND),
                r.warnings().stream().map(Finding::kind).toList(), r.findings().toString());
        assertTrue(r.describe().startsWith("AEP for agent:drought-watch.agent-001 seq 101..201 (101 events), "
                + "1 checkpoint signed by " + NODE.nodeDid() + ", seal ok"), r.describe());
    }

    @Test
    void theCredentialInForceAndTheCitedPoliciesTravelWithThePack() {
        ExportWindow w = window(TestJournal.at(120), TestJournal.at(130));
        assertEquals(List.of("cred-1", "cred-150"), w.credentials().stream().map(CitedCredential::id).toList());
        assertEquals(List.of("rail:drought-watch@1", "rail:drought-watch@2"), w.citedPolicyVersions());
        String json = new String(export(w), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"text\" : \"policy v2 text\""), json.substring(0, 400));
        assertTrue(json.contains("\"inclusionProofs\" : [ ]"));
    }

    @Test
    void theWholeJournalAndATailWindowVerify() {
        VerificationResult whole = new EvidencePackVerifier(List.of()).verify(export(window(null, null)));
        assertTrue(whole.valid(), whole.findings().toString());
        assertEquals(250, whole.summary().events());
        assertEquals(2, whole.summary().checkpoints());

        ExportWindow tail = window(TestJournal.at(230), TestJournal.at(240));
        assertEquals(201, tail.events().get(0).chronotope().sequence());
        assertEquals(240, tail.events().get(tail.events().size() - 1).chronotope().sequence(),
                "the uncovered tail after the window is not needed");
        VerificationResult r = new EvidencePackVerifier(List.of()).verify(export(tail));
        assertTrue(r.valid(), r.findings().toString());
        assertTrue(r.warnings().stream().anyMatch(f -> f.message().contains("events 201..240 are not covered")));
    }

    @Test
    void anEmptyWindowCollectsNothingButSaysWhatTheJournalHolds() {
        ExportWindow w = window(TestJournal.at(400), TestJournal.at(500));
        assertTrue(w.isEmpty());
        assertEquals(250, w.seen());
        assertEquals(250, w.lastSeenSeq());
    }

    @Test
    void exportIsDeterministicAndASignedSealVerifies() {
        ExportWindow w = window(TestJournal.at(10), TestJournal.at(20));
        assertArrayEquals(export(w), export(w));
        SwarmKeyPair exporter = Ed25519.generate();
        byte[] signed = EvidencePackExporter.write(w, Map.of(), exporter, EXPORTED);
        VerificationResult r = new EvidencePackVerifier(List.of(NODE.nodeDid())).verify(signed);
        assertTrue(r.valid(), r.findings().toString());
        assertEquals(exporter.did().value(), r.summary().exporterDid());
        assertTrue(r.warnings().stream().anyMatch(f -> f.kind() == Finding.Kind.POLICY_TEXT_MISSING));
    }

    @Test
    void untrustedSignersAreAnErrorOnlyWhenTrustedNodesAreGiven() {
        byte[] pack = export(window(TestJournal.at(120), TestJournal.at(130)));
        VerificationResult r = new EvidencePackVerifier(List.of(Ed25519.generate().did().value())).verify(pack);
        assertFalse(r.valid());
        assertEquals(List.of(Finding.Kind.UNTRUSTED_SIGNER), r.errors().stream().map(Finding::kind).toList());
        VerificationResult open = new EvidencePackVerifier(List.of()).verify(pack);
        assertTrue(open.valid());
        assertTrue(open.warnings().stream().anyMatch(f -> f.kind() == Finding.Kind.SIGNERS_NOT_CHECKED));
    }

    @Test
    void collectingFromAStreamStopsAtTheLastNeededCheckpoint() throws Exception {
        AtomicInteger pulled = new AtomicInteger();
        Source<JournalEntry, ?> journal = Source.from(JOURNAL).map(e -> {
            pulled.incrementAndGet();
            return new JournalEntry(TestJournal.PID, e.chronotope().sequence(), e.chronotope().wallTimeMillis(),
                    e.type(), e.details(), e.chronotope(), true, e);
        });
        ExportWindow w = EvidencePackExporter.collect(journal,
                        new ExportWindow.Request(TestJournal.PID, TestJournal.ENTITY, TestJournal.at(20), TestJournal.at(30)),
                        TestJournal.CITATION, KIT.system())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, w.events().get(0).chronotope().sequence());
        assertEquals(101, w.events().get(w.events().size() - 1).chronotope().sequence());
        assertTrue(pulled.get() <= 102 + 16, "stream cancelled after the closing checkpoint: pulled " + pulled.get());
        assertTrue(new EvidencePackVerifier(List.of()).verify(export(w)).valid());
    }

    @Test
    void verificationRateIsMeasurable() {
        VerifyRate.Rate rate = VerifyRate.measure(export(window(null, null)), Duration.ZERO, List.of());
        assertTrue(rate.valid());
        assertEquals(250, rate.eventsPerPack());
        assertTrue(rate.rounds() >= 3 && rate.eventsPerSecond() > 0, rate.toString());
    }
}
