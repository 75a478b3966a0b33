package org.nexusswarm.safety.api.credential;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.credential.Credential.Limits;
import org.nexusswarm.safety.api.credential.Credential.Proof;

/**
 * The W3C Verifiable Credential JSON form of a {@link Credential}. Reading is strict: duplicate keys, trailing
 * content and unknown fields are refused, so a document can carry nothing that its proofs do not cover, and every
 * problem is reported as one {@link IllegalArgumentException} message naming the field (never a Jackson trace).
 */
final class CredentialJson {

    static final String VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
    static final String NEXUS_CONTEXT = "https://nexus-swarm.org/ns/credentials/v1";
    static final String VC_TYPE = "VerifiableCredential";
    static final String NEXUS_TYPE = "NexusActionCredential";
    static final String ID_PREFIX = "urn:nexus:credential:";
    static final String PROOF_TYPE = "DataIntegrityProof";
    static final String PROOF_PURPOSE = "assertionMethod";
    /** Far above a hybrid credential (~6 KB); refuses junk before parsing it. */
    static final int MAX_CHARS = 1 << 20;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private static final Set<String> TOP = Set.of("@context", "id", "type", "issuer", "validFrom", "validUntil",
            "credentialSubject", "proof");
    private static final Set<String> SUBJECT = Set.of("id", "actionClasses", "places", "limits");
    private static final Set<String> LIMITS = Set.of("ratePerMinute", "fuelBudget", "valueCaps");
    private static final Set<String> PROOF = Set.of("type", "cryptosuite", "verificationMethod", "proofPurpose",
            "proofValue");

    private CredentialJson() {}

    static String write(Credential c) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("@context").add(VC_CONTEXT).add(NEXUS_CONTEXT);
        root.put("id", ID_PREFIX + c.id());
        root.putArray("type").add(VC_TYPE).add(NEXUS_TYPE);
        root.put("issuer", c.issuerDid());
        root.put("validFrom", Instant.ofEpochMilli(c.notBefore()).toString());
        root.put("validUntil", Instant.ofEpochMilli(c.notAfter()).toString());
        ObjectNode subject = root.putObject("credentialSubject");
        subject.put("id", c.subjectDid());
        c.allowedActions().forEach(subject.putArray("actionClasses")::add);
        c.places().forEach(subject.putArray("places")::add);
        ObjectNode limits = subject.putObject("limits");
        limits.put("ratePerMinute", c.limits().ratePerMinute());
        limits.put("fuelBudget", c.limits().fuelBudget());
        ObjectNode caps = limits.putObject("valueCaps");
        new TreeMap<>(c.limits().valueCaps()).forEach(caps::put);
        ArrayNode proofs = root.putArray("proof");
        for (Proof p : c.proofs()) {
            proofs.addObject()
                    .put("type", PROOF_TYPE)
                    .put("cryptosuite", p.cryptosuite())
                    .put("verificationMethod", p.verificationMethod())
                    .put("proofPurpose", PROOF_PURPOSE)
                    .put("proofValue", p.proofValue());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write credential JSON", e);
        }
    }

    static Credential read(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("empty credential JSON");
        }
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("credential JSON too large (" + json.length() + " characters, at most "
                    + MAX_CHARS + ")");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonEOFException e) {
            throw new IllegalArgumentException("truncated credential JSON: the document ends early"
                    + where(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed credential JSON" + where(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()));
        }
        ObjectNode top = object(root, "the document");
        onlyKnown(top, TOP, "");
        List<String> context = strings(top, "@context", "");
        if (context.isEmpty() || !VC_CONTEXT.equals(context.get(0))) {
            throw bad("@context must begin with \"" + VC_CONTEXT + "\"");
        }
        List<String> types = strings(top, "type", "");
        if (!types.contains(VC_TYPE) || !types.contains(NEXUS_TYPE)) {
            throw bad("type must contain \"" + VC_TYPE + "\" and \"" + NEXUS_TYPE + "\"");
        }
        String urn = text(top, "id", "");
        if (!urn.startsWith(ID_PREFIX) || urn.length() == ID_PREFIX.length()) {
            throw bad("id must be a URN \"" + ID_PREFIX + "<id>\", not \"" + urn + "\"");
        }
        String issuer = did(top, "issuer", "");
        long notBefore = instant(top, "validFrom");
        long notAfter = instant(top, "validUntil");
        ObjectNode subject = object(top.get("credentialSubject"), "credentialSubject");
        onlyKnown(subject, SUBJECT, "credentialSubject.");
        String subjectDid = did(subject, "id", "credentialSubject.");
        List<String> actions = strings(subject, "actionClasses", "credentialSubject.");
        List<String> places = strings(subject, "places", "credentialSubject.");
        Limits limits = limits(object(subject.get("limits"), "credentialSubject.limits"));
        List<Proof> proofs = proofs(top.get("proof"));
        return new Credential(urn.substring(ID_PREFIX.length()), issuer, subjectDid, actions, places, limits,
                notBefore, notAfter, proofs);
    }

    private static Limits limits(ObjectNode node) {
        onlyKnown(node, LIMITS, "credentialSubject.limits.");
        long rate = whole(node, "ratePerMinute");
        long fuel = whole(node, "fuelBudget");
        ObjectNode capsNode = object(node.get("valueCaps"), "credentialSubject.limits.valueCaps");
        Map<String, Double> caps = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = capsNode.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> cap = it.next();
            if (!cap.getValue().isNumber()) {
                throw bad("credentialSubject.limits.valueCaps." + cap.getKey() + " must be a number");
            }
            caps.put(cap.getKey(), cap.getValue().doubleValue());
        }
        try {
            return new Limits(rate, fuel, caps);
        } catch (IllegalArgumentException e) {
            throw bad("credentialSubject.limits: " + e.getMessage());
        }
    }

    private static List<Proof> proofs(JsonNode node) {
        if (node == null || node.isNull()) {
            throw bad("proof is missing");
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        List<Proof> proofs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "proof[" + i + "].";
            ObjectNode p = object(items.get(i), "proof[" + i + "]");
            onlyKnown(p, PROOF, path);
            if (!PROOF_TYPE.equals(text(p, "type", path))) {
                throw bad(path + "type must be \"" + PROOF_TYPE + "\"");
            }
            if (!PROOF_PURPOSE.equals(text(p, "proofPurpose", path))) {
                throw bad(path + "proofPurpose must be \"" + PROOF_PURPOSE + "\"");
            }
            String suite = text(p, "cryptosuite", path);
            if (!Proof.knownSuite(suite)) {
                throw bad(path + "cryptosuite \"" + suite + "\" is not one of " + Proof.ED25519 + ", "
                        + Proof.ML_DSA_65);
            }
            proofs.add(new Proof(suite, text(p, "verificationMethod", path), text(p, "proofValue", path)));
        }
        return proofs;
    }

    private static ObjectNode object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw bad(what + (node == null ? " is missing" : " must be a JSON object"));
        }
        return (ObjectNode) node;
    }

    private static void onlyKnown(ObjectNode node, Set<String> known, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name)) {
                throw bad("unknown field " + path + name + " (not covered by the proofs)");
            }
        }
    }

    private static String text(ObjectNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(path + field + (v == null ? " is missing" : " must be a string"));
        }
        return v.textValue();
    }

    private static String did(ObjectNode node, String field, String path) {
        String value = text(node, field, path);
        if (!value.startsWith(Did.PREFIX) || new Did(value).publicKey().length != Ed25519.KEY_BYTES) {
            throw bad(path + field + " must be a Nexus DID (" + Did.PREFIX + "...), not \"" + value + "\"");
        }
        return value;
    }

    private static List<String> strings(ObjectNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw bad(path + field + (v == null ? " is missing" : " must be an array of strings"));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw bad(path + field + " must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static long whole(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad("credentialSubject.limits." + field + (v == null ? " is missing" : " must be a whole number"));
        }
        return v.longValue();
    }

    private static long instant(ObjectNode node, String field) {
        String value = text(node, field, "");
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeException e) {
            try {
                instant = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeException e2) {
                throw bad(field + " must be an ISO-8601 date-time such as 2026-01-31T12:00:00Z, not \"" + value
                        + "\"");
            }
        }
        if (instant.getNano() % 1_000_000 != 0) {
            throw bad(field + " has sub-millisecond precision, which credentials do not carry");
        }
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw bad(field + " is out of range");
        }
    }

    private static IllegalArgumentException bad(String message) {
        return new IllegalArgumentException("invalid credential JSON: " + message);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
