package org.nexusswarm.memory.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * Changing a pack is always caught, and caught precisely: one byte flipped anywhere, or one field's value
 * changed by someone who then recomputes the (unsigned) seal as an attacker would.
 */
class EvidencePackTamperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CheckpointSigner NODE = CheckpointSigner.ephemeral();
    private static final SwarmKeyPair EXPORTER = Ed25519.generate();
    private static final byte[] PACK = pack();

    /**
     * Events 11..21 of a journal checkpointed every 10 events: one checkpoint, the credential journaled at
     * seq 1 (in force, outside the pack) and one journaled inside it (seq 15), cited policy texts.
     */
    private static byte[] pack() {
        ExportWindow w = EvidencePackExporter.collect(TestJournal.build(30, 10, 15, NODE),
                new ExportWindow.Request(TestJournal.PID, TestJournal.ENTITY, TestJournal.at(12), TestJournal.at(13)),
                TestJournal.CITATION);
        return EvidencePackExporter.write(w, Map.of("rail:drought-watch@1", PolicyText.of("policy v1"),
                "rail:drought-watch@2", PolicyText.of("policy v2 ü")), EXPORTER, Instant.parse("2026-11-21T08:00:00Z"));
    }

    private static VerificationResult verify(byte[] bytes) {
        return new EvidencePackVerifier(List.of(NODE.nodeDid())).verify(bytes);
    }

    @Test
    void theUntouchedPackIsValid() {
        VerificationResult r = verify(PACK);
        assertTrue(r.valid(), r.findings().toString());
    }

    @Test
    void flippingAnyOneByteIsReportedAsASpecificFailure() {
        int checked = 0;
        EnumSet<Finding.Kind> seen = EnumSet.noneOf(Finding.Kind.class);
        for (int i = 0; i < PACK.length - 1; i += 37) { // the final newline is formatting, outside the seal
            for (int mask : new int[] {0x01, 0x20}) {
                byte[] changed = PACK.clone();
                changed[i] ^= (byte) mask;
                VerificationResult r = verify(changed);
                String at = "byte " + i + " ('" + (char) PACK[i] + "' ^ " + mask + ")";
                assertFalse(r.valid(), at + " went unnoticed");
                assertTrue(r.errors().stream().noneMatch(f -> f.kind() == Finding.Kind.VERIFIER_FAILURE),
                        at + ": " + r.findings());
                r.errors().forEach(f -> seen.add(f.kind()));
                checked++;
            }
        }
        assertTrue(checked > 300, "checked " + checked);
        assertTrue(seen.containsAll(EnumSet.of(Finding.Kind.MALFORMED_JSON, Finding.Kind.SEAL_MISMATCH,
                Finding.Kind.EVENT_HASH_MISMATCH, Finding.Kind.EVENT_FIELDS_MISMATCH, Finding.Kind.BAD_STRUCTURE)),
                "kinds seen: " + seen);
    }

    /**
     * Every value, changed by one character with the seal recomputed: each is caught by something other than
     * the seal. Left out, because nothing in a pack can vouch for them: the requested window and the export
     * time (the exporter's statements), the id and sequence number of the credential journaled before the pack
     * (the verifier warns that only the seal vouches for it), and the seal itself. (An exporter's seal signature would catch these
     * too; it is removed here so the content checks alone are tested.)
     */
    @Test
    void everyFieldChangedWithARecomputedSealIsReportedPrecisely() throws Exception {
        ObjectNode original = (ObjectNode) JSON.readTree(PACK);
        original.remove("seal");
        Set<String> informational = Set.of("subject.requestedFrom", "subject.requestedTo", "subject.exportedAt",
                "credentials[0].id", "credentials[0].journaledAtSeq");
        List<String> paths = new ArrayList<>();
        collectLeaves(original, "", paths);
        int checked = 0;
        for (String path : paths) {
            if (informational.contains(path)) {
                continue;
            }
            ObjectNode changed = original.deepCopy();
            mutate(changed, path);
            reseal(changed);
            VerificationResult r = verify(JSON.writeValueAsBytes(changed));
            List<Finding.Kind> kinds = r.errors().stream().map(Finding::kind).toList();
            assertFalse(r.valid(), path + " changed went unnoticed");
            assertFalse(kinds.contains(Finding.Kind.VERIFIER_FAILURE), path + ": " + r.findings());
            assertTrue(kinds.stream().anyMatch(k -> k != Finding.Kind.SEAL_MISMATCH), path + ": " + r.findings());
            checked++;
        }
        assertTrue(checked > 150, "checked " + checked);
    }

    @Test
    void aChangedEventIsNamedWithItsSequenceNumber() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(PACK);
        root.remove("seal");
        ObjectNode event = (ObjectNode) root.get("events").get(2); // seq 13
        event.put("details", event.get("details").asText().replace("valve-13", "valve-99"));
        reseal(root);
        List<String> errors = verify(JSON.writeValueAsBytes(root)).errors().stream().map(Finding::toString).toList();
        assertEquals(List.of("ERROR EVENT_FIELDS_MISMATCH"), errors.stream().map(e -> e.substring(0, e.indexOf(':'))).toList(),
                errors.toString());
        assertTrue(errors.get(0).contains("event 13: the fields shown are not what was hashed"), errors.toString());

        // An attacker who also rewrites the canonical form and the hash breaks the chain and the checkpoint.
        event.put("canonicalForm", event.get("canonicalForm").asText().replace("valve-13", "valve-99"));
        event.put("hash", HashChain.sha256Hex((event.get("previousHash").asText() + "\n"
                + event.get("canonicalForm").asText()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        reseal(root);
        List<String> later = verify(JSON.writeValueAsBytes(root)).errors().stream().map(Finding::message).toList();
        assertEquals(2, later.size(), later.toString());
        assertTrue(later.get(0).startsWith("chain broken between events 13 and 14"), later.toString());
        assertTrue(later.get(1).contains("the Merkle root over events 11..20 is"), later.toString());
    }

    @Test
    void aChangedByteWithASignedSealIsCaughtEvenWhereTheContentCannotTell() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(PACK);
        ((ObjectNode) root.get("subject")).put("requestedTo", "2026-11-21T07:45:00Z");
        VerificationResult r = verify(JSON.writeValueAsBytes(root));
        assertEquals(List.of(Finding.Kind.SEAL_MISMATCH), r.errors().stream().map(Finding::kind).toList());
    }

    private static void reseal(ObjectNode root) {
        root.remove("seal");
        String sha = HashChain.sha256Hex(CanonicalJson.bytes(root));
        root.putObject("seal").put("sha256", sha);
    }

    private static void collectLeaves(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                collectLeaves(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectLeaves(node.get(i), path + "[" + i + "]", out);
            }
        } else if (!node.isNull()) {
            out.add(path);
        }
    }

    /** Changes one character of the value at {@code path} (a number by one). */
    private static void mutate(ObjectNode root, String path) {
        JsonNode parent = root;
        String[] steps = path.split("\\.");
        for (int s = 0; s < steps.length; s++) {
            String step = steps[s];
            String name = step.contains("[") ? step.substring(0, step.indexOf('[')) : step;
            List<Integer> indexes = new ArrayList<>();
            for (String ix : step.substring(name.length()).replace("]", "").split("\\[")) {
                if (!ix.isEmpty()) {
                    indexes.add(Integer.parseInt(ix));
                }
            }
            boolean last = s == steps.length - 1;
            if (last && indexes.isEmpty()) {
                replace(((ObjectNode) parent).get(name), v -> ((ObjectNode) parentOf(root, path)).set(name, v));
                return;
            }
            JsonNode node = parent.get(name);
            for (int k = 0; k < indexes.size(); k++) {
                if (last && k == indexes.size() - 1) {
                    int index = indexes.get(k);
                    ArrayNode array = (ArrayNode) node;
                    replace(array.get(index), v -> array.set(index, v));
                    return;
                }
                node = node.get(indexes.get(k));
            }
            parent = node;
        }
        fail("no value at " + path);
    }

    private static JsonNode parentOf(ObjectNode root, String path) {
        JsonNode node = root;
        String[] steps = path.split("\\.");
        for (int s = 0; s < steps.length - 1; s++) {
            String step = steps[s];
            String name = step.contains("[") ? step.substring(0, step.indexOf('[')) : step;
            node = node.get(name);
            for (String ix : step.substring(name.length()).replace("]", "").split("\\[")) {
                if (!ix.isEmpty()) {
                    node = node.get(Integer.parseInt(ix));
                }
            }
        }
        return node;
    }

    private static void replace(JsonNode value, Consumer<JsonNode> set) {
        if (value.isIntegralNumber()) {
            set.accept(JSON.getNodeFactory().numberNode(value.longValue() + 1));
            return;
        }
        String text = value.asText();
        if (text.isEmpty()) {
            set.accept(TextNode.valueOf("x"));
            return;
        }
        int i = text.length() / 2;
        char c = text.charAt(i);
        char other = Character.isDigit(c) ? (char) ('0' + (c - '0' + 1) % 10)
                : Character.isLetter(c) ? (c == 'a' ? 'b' : 'a') : (c == '_' ? '-' : '_');
        set.accept(TextNode.valueOf(text.substring(0, i) + other + text.substring(i + 1)));
    }
}
