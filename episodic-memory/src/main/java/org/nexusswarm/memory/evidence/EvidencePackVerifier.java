package org.nexusswarm.memory.evidence;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;

/**
 * Checks an evidence pack offline: no actor system, no Cassandra, only the file and the DIDs the reader
 * trusts. Reports every problem it finds as a {@link Finding}, saying exactly what fails (which event, which
 * link, which checkpoint range); never throws on bad input.
 *
 * <p>Order: the bytes parse as JSON (else where they stop parsing), the format is known, the seal matches,
 * the fields have the format's shape, then the content is checked by {@link PackChecks}. Thread-safe.
 */
public final class EvidencePackVerifier {

    private static final ObjectMapper READER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Set<String> trustedNodes;

    /** @param trustedNodeDids node DIDs whose checkpoint signatures the reader trusts; empty: check none */
    public EvidencePackVerifier(Collection<String> trustedNodeDids) {
        this.trustedNodes = Set.copyOf(trustedNodeDids);
    }

    public VerificationResult verify(Path file) {
        try {
            return verify(Files.readAllBytes(file));
        } catch (IOException e) {
            return new VerificationResult(List.of(Finding.error(Finding.Kind.EMPTY_FILE,
                    "cannot read " + file + ": " + e.getMessage())), null);
        }
    }

    public VerificationResult verify(byte[] bytes) {
        List<Finding> findings = new ArrayList<>();
        try {
            PackModel model = read(bytes, findings);
            if (model == null) {
                return new VerificationResult(findings, null);
            }
            boolean sealOk = findings.stream().noneMatch(f -> f.kind() == Finding.Kind.SEAL_MISMATCH);
            new PackChecks(model, trustedNodes, findings).run();
            return new VerificationResult(findings, summary(model, sealOk));
        } catch (RuntimeException e) {
            // A bug, not the input's fault; still an answer rather than an exception, and never "valid".
            findings.add(Finding.error(Finding.Kind.VERIFIER_FAILURE, "the verifier failed: " + e));
            return new VerificationResult(findings, null);
        }
    }

    /** The pack's model, or null after adding the finding that stops verification. */
    private static PackModel read(byte[] bytes, List<Finding> findings) {
        if (isBlank(bytes)) {
            findings.add(Finding.error(Finding.Kind.EMPTY_FILE, "the file is empty: not an evidence pack"));
            return null;
        }
        JsonNode root;
        try {
            root = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            if (endsEarly(e)) {
                findings.add(Finding.error(Finding.Kind.TRUNCATED, "the file ends in the middle of the JSON document "
                        + "(" + where(e.getLocation()) + "): truncated?"));
                return null;
            }
            findings.add(Finding.error(Finding.Kind.MALFORMED_JSON, "not valid JSON at " + where(e.getLocation())
                    + ": " + firstLine(e.getOriginalMessage())));
            return null;
        } catch (IOException e) {
            findings.add(Finding.error(Finding.Kind.MALFORMED_JSON, "not valid JSON: " + firstLine(e.getMessage())));
            return null;
        }
        if (root == null || !root.isObject()) {
            findings.add(Finding.error(Finding.Kind.BAD_STRUCTURE, "the document is not a JSON object"));
            return null;
        }
        JsonNode format = root.get("format");
        if (format == null) {
            findings.add(Finding.error(Finding.Kind.BAD_STRUCTURE, "format: missing (not an evidence pack?)"));
            return null;
        }
        if (!format.isTextual() || !EvidencePack.FORMAT.equals(format.textValue())) {
            findings.add(Finding.error(Finding.Kind.UNKNOWN_FORMAT, "format " + format + " is not "
                    + EvidencePack.FORMAT + ", the only format this verifier reads"));
            return null;
        }
        checkSeal((ObjectNode) root, findings);
        try {
            return PackModel.read(root);
        } catch (PackModel.Malformed e) {
            findings.add(Finding.error(Finding.Kind.BAD_STRUCTURE, e.getMessage()));
            return null;
        }
    }

    /** Recomputes the seal over the canonical bytes of everything but the seal, and checks its signature. */
    private static void checkSeal(ObjectNode root, List<Finding> findings) {
        // Detached and put back rather than copying the tree: the tree is this verification's own.
        JsonNode seal = root.remove("seal");
        String actual = Sha256.hex(CanonicalJson.bytes(root));
        if (seal == null) {
            seal = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } else {
            root.set("seal", seal);
        }
        String claimed = seal.path("sha256").asText("");
        if (!actual.equals(claimed)) {
            findings.add(Finding.error(Finding.Kind.SEAL_MISMATCH, "seal: the content hashes to " + PackChecks.shortHash(actual)
                    + ", the seal says " + PackChecks.shortHash(claimed) + ": the pack was changed after export"));
        }
        if (seal.has("exporterDid") || seal.has("signature")) {
            if (!signatureValid(seal.path("exporterDid").asText(""), EvidencePack.sealStatement(claimed),
                    seal.path("signature").asText(""))) {
                findings.add(Finding.error(Finding.Kind.SEAL_SIGNATURE_INVALID, "seal: the exporter's signature does "
                        + "not verify for " + seal.path("exporterDid").asText("(no DID)")));
            }
        }
    }

    /** Whether {@code signatureBase64} is a valid Ed25519 signature of {@code message} by {@code did}'s key. */
    static boolean signatureValid(String did, byte[] message, String signatureBase64) {
        try {
            byte[] key = new Did(did).publicKey();
            byte[] signature = Base64.getDecoder().decode(signatureBase64);
            // Base64 decoders ignore the unused low bits of the last character: insist on the one canonical
            // spelling, so that no character of a DID or signature can change without failing verification.
            boolean canonical = Did.of(key).value().equals(did)
                    && Base64.getEncoder().encodeToString(signature).equals(signatureBase64);
            return canonical && Ed25519.verify(key, message, signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The labels in a chronotope's policy version text ({@code rail:a@3,pack:b@1}). */
    public static List<String> policyLabels(String policyVersion) {
        if (policyVersion == null || policyVersion.isBlank()) {
            return List.of();
        }
        return Arrays.stream(policyVersion.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static VerificationResult.Summary summary(PackModel m, boolean sealOk) {
        List<PackModel.Event> events = m.events();
        return new VerificationResult.Summary(m.subject().entity(), m.subject().persistenceId(),
                events.isEmpty() ? 0 : events.get(0).seq(), events.isEmpty() ? 0 : events.get(events.size() - 1).seq(),
                events.size(), m.checkpoints().size(),
                m.checkpoints().stream().map(PackModel.Checkpoint::nodeDid).distinct().sorted().toList(),
                sealOk, m.seal().exporterDid());
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Jackson reports the end of input inside a document either as a JsonEOFException or by its message. */
    private static boolean endsEarly(JsonProcessingException e) {
        return e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input");
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
