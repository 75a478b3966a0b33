package org.nexusswarm.safety.api.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.memory.evidence.CanonicalJson;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.credential.MlDsa65;

/**
 * A pack's signed manifest: the pack's name, implementation class, version and rails, the SHA-256 of every file
 * of the pack ({@link PackFiles}), and the publisher's DID, signed with the publisher's Ed25519 key and, for
 * post-quantum rails, with an ML-DSA-65 key as well (hybrid: both must verify).
 *
 * <p>What is signed: the domain tag {@value #DOMAIN} followed by a newline, then the RFC 8785-style canonical
 * JSON (sorted keys, no whitespace; {@link CanonicalJson}) of the manifest without its {@code signatures} field.
 * The file form is the same object, indented, with {@code signatures} holding base64 {@code ed25519} and
 * optionally {@code ml-dsa-65}. The ML-DSA-65 public key travels in the manifest ({@code publisherMlDsa65}, X.509,
 * base64) and is pinned by its SHA-256 in {@link TrustedPublishers}.
 */
public record PackManifest(String pack, String packClass, String version, List<String> rails,
                           SortedMap<String, String> files, String publisher, Optional<byte[]> publisherMlDsa65,
                           Optional<byte[]> ed25519Signature, Optional<byte[]> mlDsa65Signature) {

    public static final String DOMAIN = "nexus-pack-manifest/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A manifest file larger than this is refused unread. */
    public static final int MAX_BYTES = 4 << 20;

    public PackManifest {
        rails = List.copyOf(rails);
        files = new TreeMap<>(files);
    }

    /** Signs the manifest of {@code files} with {@code keys}; with {@code postQuantum} also with its ML-DSA-65 key. */
    public static PackManifest sign(String pack, String packClass, String version, List<String> rails,
                                    PackFiles files, IssuerKeys keys, boolean postQuantum) {
        if (postQuantum && keys.mlDsa().isEmpty()) {
            throw new IllegalArgumentException("publisher " + keys.did() + " has no ML-DSA-65 key: cannot sign with"
                    + " --pq (create the key with post-quantum support)");
        }
        Optional<byte[]> pqKey = postQuantum ? keys.mlDsaPublicKey() : Optional.empty();
        PackManifest unsigned = new PackManifest(pack, packClass, version, rails, files.sha256(), keys.did().value(),
                pqKey, Optional.empty(), Optional.empty());
        byte[] message = unsigned.signedBytes();
        byte[] ed = keys.ed25519().sign(message);
        Optional<byte[]> pq = postQuantum
                ? Optional.of(MlDsa65.sign(keys.mlDsa().orElseThrow().getPrivate(), message)) : Optional.empty();
        return new PackManifest(pack, packClass, version, rails, unsigned.files(), unsigned.publisher(), pqKey,
                Optional.of(ed), pq);
    }

    /** The bytes the signatures cover. */
    public byte[] signedBytes() {
        byte[] body = CanonicalJson.bytes(body());
        byte[] tag = (DOMAIN + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[tag.length + body.length];
        System.arraycopy(tag, 0, out, 0, tag.length);
        System.arraycopy(body, 0, out, tag.length, body.length);
        return out;
    }

    private ObjectNode body() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("format", DOMAIN);
        n.put("pack", pack);
        n.put("packClass", packClass);
        n.put("version", version);
        ArrayNode r = n.putArray("rails");
        rails.forEach(r::add);
        ObjectNode f = n.putObject("files");
        files.forEach(f::put);
        n.put("publisher", publisher);
        publisherMlDsa65.ifPresent(k -> n.put("publisherMlDsa65", Base64.getEncoder().encodeToString(k)));
        return n;
    }

    /** The file form: indented JSON with the signatures. */
    public byte[] toJson() {
        ObjectNode n = body();
        ObjectNode s = n.putObject("signatures");
        ed25519Signature.ifPresent(sig -> s.put("ed25519", Base64.getEncoder().encodeToString(sig)));
        mlDsa65Signature.ifPresent(sig -> s.put("ml-dsa-65", Base64.getEncoder().encodeToString(sig)));
        return CanonicalJson.fileBytes(n);
    }

    /** Parses a manifest file; {@link IllegalArgumentException} with a precise message when it is malformed. */
    public static PackManifest parse(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException("manifest larger than " + MAX_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("manifest is not a JSON object");
        }
        if (!DOMAIN.equals(text(n, "format"))) {
            throw new IllegalArgumentException("manifest format is not " + DOMAIN);
        }
        List<String> rails = new ArrayList<>();
        JsonNode r = n.get("rails");
        if (r == null || !r.isArray()) {
            throw new IllegalArgumentException("manifest has no 'rails' array");
        }
        r.forEach(x -> rails.add(x.asText()));
        JsonNode f = n.get("files");
        if (f == null || !f.isObject()) {
            throw new IllegalArgumentException("manifest has no 'files' object");
        }
        SortedMap<String, String> files = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("manifest file entry " + e.getKey() + " is not a hex digest");
            }
            files.put(e.getKey(), e.getValue().asText());
        }
        JsonNode sigs = n.get("signatures");
        Optional<byte[]> ed = Optional.empty();
        Optional<byte[]> pq = Optional.empty();
        if (sigs != null && sigs.isObject()) {
            ed = base64(sigs, "ed25519");
            pq = base64(sigs, "ml-dsa-65");
        }
        return new PackManifest(text(n, "pack"), text(n, "packClass"), text(n, "version"), rails, files,
                text(n, "publisher"), base64(n, "publisherMlDsa65"), ed, pq);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("manifest has no '" + field + "'");
        }
        return v.asText();
    }

    private static Optional<byte[]> base64(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(v.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest field '" + field + "' is not base64");
        }
    }

    /**
     * Every reason this manifest does not admit {@code actual}: signature problems first (a manifest whose
     * signature fails says nothing about the files), then every added, removed or altered file. Empty: valid.
     *
     * @param requirePostQuantum whether an ML-DSA-65 signature is required (a rail that requires post-quantum
     *                           proofs); one that is present is always verified
     */
    public List<String> problems(PackFiles actual, TrustedPublishers trust, boolean requirePostQuantum) {
        List<String> problems = new ArrayList<>();
        if (ed25519Signature.isEmpty()) {
            problems.add("manifest is unsigned (no Ed25519 signature)");
            return problems;
        }
        Did did;
        try {
            did = new Did(publisher);
        } catch (IllegalArgumentException e) {
            problems.add("manifest publisher is not a DID: " + publisher);
            return problems;
        }
        if (!trust.trusts(publisher)) {
            problems.add("manifest is signed by untrusted publisher " + publisher
                    + " (not in the trusted pack publishers file)");
            return problems;
        }
        byte[] message = signedBytes();
        if (!Ed25519.verify(did.publicKey(), message, ed25519Signature.get())) {
            problems.add("bad Ed25519 signature by " + publisher + " (the manifest was altered or signed by another"
                    + " key)");
            return problems;
        }
        if (mlDsa65Signature.isPresent() || requirePostQuantum) {
            if (mlDsa65Signature.isEmpty() || publisherMlDsa65.isEmpty()) {
                problems.add("post-quantum proof required but the manifest has no ML-DSA-65 signature");
                return problems;
            }
            Optional<String> pinned = trust.mlDsaKeySha256(publisher);
            if (pinned.isEmpty() || !pinned.get().equals(PackFiles.sha256(publisherMlDsa65.get()))) {
                problems.add("the manifest's ML-DSA-65 key is not the one trusted for publisher " + publisher);
                return problems;
            }
            PublicKey key;
            try {
                key = MlDsa65.decodePublicKey(publisherMlDsa65.get());
            } catch (IllegalArgumentException e) {
                problems.add("the manifest's ML-DSA-65 key is unreadable: " + e.getMessage());
                return problems;
            }
            if (!MlDsa65.verify(key, message, mlDsa65Signature.get())) {
                problems.add("bad ML-DSA-65 signature by " + publisher);
                return problems;
            }
        }
        SortedMap<String, String> digests = actual.sha256();
        for (Map.Entry<String, String> e : files.entrySet()) {
            String now = digests.get(e.getKey());
            if (now == null) {
                problems.add("file " + e.getKey() + " is listed in the manifest but missing from the pack");
            } else if (!now.equals(e.getValue())) {
                problems.add("file " + e.getKey() + " was altered (manifest sha256 " + e.getValue() + ", actual "
                        + now + ")");
            }
        }
        for (String path : digests.keySet()) {
            if (!files.containsKey(path)) {
                problems.add("file " + path + " is in the pack but not in the manifest");
            }
        }
        for (String s : actual.shadowed()) {
            problems.add("class " + s + " is shadowed by another class-path entry");
        }
        return problems;
    }
}
