package org.nexusswarm.memory.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;

/** Files that are not (whole) evidence packs get one clear finding each, never an exception. */
class EvidencePackBadInputTest {

    private static final byte[] PACK = EvidencePackExporter.write(
            EvidencePackExporter.collect(TestJournal.build(30, 10, 15, CheckpointSigner.ephemeral()),
                    new ExportWindow.Request(TestJournal.PID, TestJournal.ENTITY, null, null), TestJournal.CITATION),
            Map.of(), null, Instant.EPOCH);

    @TempDir
    Path tmp;

    private static Finding only(byte[] bytes) {
        VerificationResult r = new EvidencePackVerifier(List.of()).verify(bytes);
        assertEquals(1, r.errors().size(), r.findings().toString());
        assertNull(r.summary());
        return r.errors().get(0);
    }

    private static Finding only(String text) {
        return only(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyAndBlankFiles() {
        assertEquals(Finding.Kind.EMPTY_FILE, only(new byte[0]).kind());
        assertEquals(Finding.Kind.EMPTY_FILE, only(" \n\t").kind());
    }

    @Test
    void aTruncatedPackIsCalledTruncatedWherEverItIsCut() {
        for (int length = 1; length < PACK.length - 2; length += 53) {
            Finding f = only(Arrays.copyOf(PACK, length));
            assertTrue(f.kind() == Finding.Kind.TRUNCATED, "cut at " + length + ": " + f);
            assertTrue(f.message().contains("line "), f.message());
        }
    }

    @Test
    void malformedJsonSaysWhereWithLineAndColumn() {
        Finding f = only("{\n  \"format\" : \"nexus-aep/1\",\n  \"subject\" : }\n");
        assertEquals(Finding.Kind.MALFORMED_JSON, f.kind());
        assertTrue(f.message().startsWith("not valid JSON at line 3, column 15"), f.message());
        assertEquals(Finding.Kind.MALFORMED_JSON, only("PK\u0003\u0004 zip file, not json").kind());
        assertEquals(Finding.Kind.MALFORMED_JSON, only("{\"format\":\"nexus-aep/1\",\"format\":\"x\"}").kind());
        assertEquals(Finding.Kind.MALFORMED_JSON, only("{\"format\":\"nexus-aep/1\"} trailing").kind());
        assertEquals(Finding.Kind.MALFORMED_JSON, only(new byte[] {'{', '"', 'a', (byte) 0xFF, 'b', '"', ':', '1', '}'}).kind());
    }

    @Test
    void anotherDocumentOrAnotherFormatVersion() {
        assertEquals(Finding.Kind.BAD_STRUCTURE, only("[1, 2, 3]").kind());
        assertEquals("format: missing (not an evidence pack?)", only("{\"name\":\"x\"}").message());
        Finding future = only(new String(PACK, StandardCharsets.UTF_8).replace("nexus-aep/1", "nexus-aep/2"));
        assertEquals(Finding.Kind.UNKNOWN_FORMAT, future.kind());
        assertTrue(future.message().contains("\"nexus-aep/2\" is not nexus-aep/1"), future.message());
    }

    @Test
    void aMissingOrRetypedFieldIsNamedByItsPath() {
        VerificationResult r = new EvidencePackVerifier(List.of()).verify(
                new String(PACK, StandardCharsets.UTF_8).replaceFirst("\"hlc\" : (\\d+)", "\"hlc\" : \"$1\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertTrue(r.errors().stream().anyMatch(f -> f.kind() == Finding.Kind.BAD_STRUCTURE
                && f.message().equals("events[0].hlc: expected a whole number, found STRING")), r.findings().toString());
    }

    @Test
    void aMissingFileIsAFindingToo() {
        VerificationResult r = new EvidencePackVerifier(List.of()).verify(tmp.resolve("nope.json"));
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().startsWith("cannot read "), r.errors().toString());
    }
}
