package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.evidence.CitedCredential;
import org.nexusswarm.memory.evidence.EvidencePackExporter;
import org.nexusswarm.memory.evidence.ExportWindow;

/** {@code swarm aep verify} and the argument checks of {@code swarm journal export}, without Cassandra. */
class AepCommandTest {

    @TempDir
    Path tmp;

    private record Note(Chronotope chronotope, String text) implements EpisodeEvent {
        @Override
        public String details() {
            return text;
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path pack() throws Exception {
        List<EpisodeEvent> events = new ArrayList<>();
        String previous = HashChain.GENESIS;
        for (long seq = 1; seq <= 5; seq++) {
            Note n = new Note(new Chronotope(1_790_000_000_000L + seq, seq, seq << 16, "cell-1", "d" + seq, previous),
                    "note " + seq);
            previous = HashChain.hashOf(n);
            events.add(n);
        }
        ExportWindow w = EvidencePackExporter.collect(events,
                new ExportWindow.Request("agent|x", "agent:x", null, null), CitedCredential.Citation.NONE);
        Path file = tmp.resolve("x.aep.json");
        Files.write(file, EvidencePackExporter.write(w, Map.of(), null, Instant.EPOCH));
        return file;
    }

    /** Three notes sealed by a checkpoint that {@code signer} signed. */
    private Path checkpointedPack(org.nexusswarm.memory.checkpoint.CheckpointSigner signer) throws Exception {
        List<EpisodeEvent> events = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        String previous = HashChain.GENESIS;
        for (long seq = 1; seq <= 3; seq++) {
            Note n = new Note(new Chronotope(1_790_000_000_000L + seq, seq, seq << 16, "cell-1", "d" + seq, previous),
                    "note " + seq);
            previous = HashChain.hashOf(n);
            hashes.add(previous);
            events.add(n);
        }
        String root = org.nexusswarm.memory.checkpoint.MerkleTree.root(hashes);
        events.add(new org.nexusswarm.safety.api.supervisor.SafetyEvent.Checkpointed(new Chronotope(1_790_000_000_004L, 4,
                4L << 16, "cell-1", "", previous), 1, 3, root, signer.nodeDid(), signer.sign("agent|x", 1, 3, root)));
        ExportWindow w = EvidencePackExporter.collect(events,
                new ExportWindow.Request("agent|x", "agent:x", null, null), CitedCredential.Citation.NONE);
        Path file = tmp.resolve("signed.aep.json");
        Files.write(file, EvidencePackExporter.write(w, Map.of(), null, Instant.EPOCH));
        return file;
    }

    @Test
    void theTrustListFileDecidesWhichCheckpointSignersAreTrusted() throws Exception {
        var signer = org.nexusswarm.memory.checkpoint.CheckpointSigner.ephemeral();
        Path pack = checkpointedPack(signer);
        Path trusted = tmp.resolve("trusted-nodes");
        Files.writeString(trusted, "# reviewers' trust list\n" + signer.nodeDid() + "\n");
        Run ok = run("aep", "verify", pack.toString(), "--trusted-nodes-file", trusted.toString());
        assertEquals(ExitCodes.OK, ok.code(), ok.out() + ok.err());
        assertFalse(ok.out().contains("not checked against trusted nodes"), ok.out());

        Path other = tmp.resolve("other-nodes");
        Files.writeString(other, org.nexusswarm.memory.checkpoint.CheckpointSigner.ephemeral().nodeDid() + "\n");
        Run refused = run("aep", "verify", pack.toString(), "--trusted-nodes-file", other.toString());
        assertEquals(ExitCodes.INVALID, refused.code(), refused.out());
        assertTrue(refused.out().contains(signer.nodeDid()), refused.out());
    }

    @Test
    void aValidPackExitsZeroWithASummary() throws Exception {
        Run r = run("aep", "verify", pack().toString());
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("AEP for agent:x seq 1..5 (5 events), 0 checkpoints, seal ok"), r.out());
        assertTrue(r.out().contains("VALID: "), r.out());
    }

    @Test
    void oneChangedByteExitsEightNamingTheFailure() throws Exception {
        Path file = pack();
        String text = Files.readString(file);
        Files.writeString(file, text.replace("\"details\" : \"note 3\"", "\"details\" : \"note 8\""));
        Run r = run("aep", "verify", file.toString());
        assertEquals(ExitCodes.INVALID, r.code(), r.out());
        assertTrue(r.out().contains("FAILED   event 3: the fields shown are not what was hashed"), r.out());
        assertTrue(r.out().contains("seal: the content hashes to"), r.out());
    }

    @Test
    void truncatedEmptyAndMissingFiles() throws Exception {
        Path file = pack();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        Run truncated = run("aep", "verify", file.toString());
        assertEquals(ExitCodes.INVALID, truncated.code());
        assertTrue(truncated.out().contains("truncated?"), truncated.out());
        assertFalse(truncated.out().contains("\tat ") || truncated.err().contains("\tat "));

        Files.write(file, new byte[0]);
        assertEquals(ExitCodes.INVALID, run("aep", "verify", file.toString()).code());

        Run missing = run("aep", "verify", tmp.resolve("nope.json").toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void jsonOutputAndTrustedNodes() throws Exception {
        Path file = pack();
        Run r = run("aep", "verify", file.toString(), "--json",
                "--trust-node", CheckpointSigner.ephemeral().nodeDid());
        assertEquals(ExitCodes.OK, r.code(), r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("valid").asBoolean());
        assertEquals(5, json.get("summary").get("events").asInt());
        assertEquals("UNCOVERED_EVENTS", json.get("findings").get(0).get("kind").asText());

        Run bad = run("aep", "verify", file.toString(), "--trust-node", "did:web:example.org");
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().contains("--trust-node"), bad.err());
    }

    @Test
    void exportRefusesBadTimesBeforeTouchingCassandra() {
        Run r = run("journal", "export", "--entity", "agent:x", "--from", "yesterday", "--out", "x.json",
                "--cassandra", "127.0.0.1:1");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--from 'yesterday' is not a time"), r.err());
        Run order = run("journal", "export", "--entity", "agent:x", "--from", "-5m", "--to", "-1h", "--out", "x.json",
                "--cassandra", "127.0.0.1:1");
        assertEquals(ExitCodes.USAGE, order.code());
        assertTrue(order.err().contains("is after --to"), order.err());
        assertEquals(ExitCodes.USAGE, run("journal", "export", "--entity", "agent:x").code());
    }

    @Test
    void timesAreInstantsOffsetsNowOrRelative() {
        Instant now = Instant.parse("2026-11-21T08:00:00Z");
        assertEquals(Instant.parse("2026-11-21T07:30:00Z"), JournalExportCommand.parseTime("2026-11-21T07:30:00Z", now, "--from"));
        assertEquals(Instant.parse("2026-11-21T07:30:00Z"), JournalExportCommand.parseTime("2026-11-21T08:30:00+01:00", now, "--from"));
        assertEquals(Instant.parse("2026-11-21T07:45:00Z"), JournalExportCommand.parseTime("-15m", now, "--from"));
        assertEquals(Instant.parse("2026-11-14T08:00:00Z"), JournalExportCommand.parseTime("-7d", now, "--from"));
        assertEquals(now, JournalExportCommand.parseTime("now", now, "--to"));
    }
}
