package org.nexusswarm.safety.api.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.credential.Credential.Limits;

/** The W3C VC JSON form: round trips, whitespace and key order are free, every change of meaning is caught. */
class CredentialJsonTest {

    private static final long NOW = 1_790_000_000_123L;
    private static final IssuerKeys ISSUER = IssuerKeys.generate(true);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SwarmKeyPair subject = Ed25519.generate();
    private final Credential credential = Credential.issue(ISSUER, "drought-watch/agent-001", subject.did(),
            List.of("alert.raise", "compute.request"), List.of("sahel-*"),
            Limits.UNLIMITED.withRatePerMinute(12).withFuelBudget(5000).withCap("mw", 50).withCap("litres", 2.5e6),
            NOW - 60_000, NOW + 86_400_000);
    private final TrustedIssuers trust = TrustedIssuers.none().with(ISSUER.did(),
            ISSUER.mlDsaPublicKey().orElseThrow(), true);

    private Optional<CredentialProblem> check(Credential c) {
        return c.check(subject.did(), trust, NOW);
    }

    private ObjectNode tree() throws Exception {
        return (ObjectNode) MAPPER.readTree(credential.toJson());
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> Credential.fromJson(json)).getMessage();
    }

    @Test
    void itIsAW3cVerifiableCredential() throws Exception {
        JsonNode json = tree();
        assertEquals("https://www.w3.org/ns/credentials/v2", json.get("@context").get(0).asText());
        assertEquals("urn:nexus:credential:drought-watch/agent-001", json.get("id").asText());
        assertEquals(List.of("VerifiableCredential", "NexusActionCredential"),
                MAPPER.convertValue(json.get("type"), List.class));
        assertEquals(ISSUER.did().value(), json.get("issuer").asText());
        assertEquals("2026-09-21T14:12:20.123Z", json.get("validFrom").asText());
        JsonNode subjectNode = json.get("credentialSubject");
        assertEquals(subject.did().value(), subjectNode.get("id").asText());
        assertEquals(50.0, subjectNode.get("limits").get("valueCaps").get("mw").asDouble());
        assertEquals(12, subjectNode.get("limits").get("ratePerMinute").asLong());
        assertEquals(2, json.get("proof").size());
        assertEquals("DataIntegrityProof", json.get("proof").get(1).get("type").asText());
        assertEquals(ISSUER.did() + "#ml-dsa-65", json.get("proof").get(1).get("verificationMethod").asText());
    }

    @Test
    void aRoundTripGivesTheSameVerifiableCredential() {
        Credential back = Credential.fromJson(credential.toJson());
        assertEquals(credential, back);
        assertEquals(Optional.empty(), check(back));
        assertEquals(credential.toJson(), back.toJson());
        Credential legacy = Credential.issue(Ed25519.generate(), "old", subject.did(), List.of("a"), NOW, NOW + 1);
        assertEquals(legacy, Credential.fromJson(legacy.toJson()));
    }

    @Test
    void whitespaceAndKeyOrderDoNotMatter() throws Exception {
        ObjectNode json = tree();
        String compact = MAPPER.writeValueAsString(json);
        assertEquals(Optional.empty(), check(Credential.fromJson(compact)));
        String spaced = respace(compact);
        assertFalse(spaced.equals(compact));
        assertEquals(Optional.empty(), check(Credential.fromJson(spaced)));
        ObjectNode reversed = MAPPER.createObjectNode();
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        Collections.reverse(names);
        names.forEach(n -> reversed.set(n, json.get(n)));
        Credential fromReversed = Credential.fromJson(MAPPER.writeValueAsString(reversed));
        assertEquals(credential, fromReversed);
        assertEquals(Optional.empty(), check(fromReversed));
    }

    /** Surrounds every structural character outside strings with assorted JSON whitespace. */
    private static String respace(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (!inString && "{}[],:".indexOf(c) >= 0) {
                out.append(" \r\n\t").append(c).append("\n  ");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Applies {@code change} to the JSON tree, parses it back and expects the check to refuse it. */
    private void assertTamperDetected(String what, Consumer<ObjectNode> change, String expected) throws Exception {
        ObjectNode json = tree();
        change.accept(json);
        Credential tampered = Credential.fromJson(MAPPER.writeValueAsString(json));
        assertFalse(tampered.equals(credential), what + " changed nothing");
        Optional<CredentialProblem> problem = check(tampered);
        assertTrue(problem.isPresent(), what + " went unnoticed");
        assertTrue(problem.get().detail().contains(expected), what + ": " + problem.get());
    }

    private static ObjectNode subjectOf(ObjectNode json) {
        return (ObjectNode) json.get("credentialSubject");
    }

    @Test
    void everyChangeOfMeaningInTheJsonIsDetected() throws Exception {
        String sig = "invalid issuer signature";
        assertTamperDetected("place widened", j -> ((ArrayNode) subjectOf(j).get("places")).set(0, "*"), sig);
        assertTamperDetected("action added", j -> ((ArrayNode) subjectOf(j).get("actionClasses")).add("funds.move"),
                sig);
        assertTamperDetected("actions reordered", j -> {
            ArrayNode a = (ArrayNode) subjectOf(j).get("actionClasses");
            JsonNode first = a.remove(0);
            a.add(first);
        }, sig);
        assertTamperDetected("cap raised", j -> ((ObjectNode) subjectOf(j).get("limits").get("valueCaps"))
                .put("mw", 500), sig);
        assertTamperDetected("cap removed", j -> ((ObjectNode) subjectOf(j).get("limits").get("valueCaps"))
                .remove("litres"), sig);
        assertTamperDetected("rate lifted", j -> ((ObjectNode) subjectOf(j).get("limits")).put("ratePerMinute", 0),
                sig);
        assertTamperDetected("fuel raised", j -> ((ObjectNode) subjectOf(j).get("limits")).put("fuelBudget", 5001),
                sig);
        assertTamperDetected("validity extended by a millisecond", j -> j.put("validUntil", "2026-09-22T14:13:20.124Z"),
                sig);
        assertTamperDetected("id changed", j -> j.put("id", "urn:nexus:credential:drought-watch/agent-002"), sig);
        assertTamperDetected("ML-DSA proof stripped", j -> ((ArrayNode) j.get("proof")).remove(1), sig);
        assertTamperDetected("issuer swapped", j -> j.put("issuer", Ed25519.generate().did().value()),
                "untrusted issuer");
        assertTamperDetected("subject swapped", j -> subjectOf(j).put("id", Ed25519.generate().did().value()),
                "is issued to");
        assertTamperDetected("ML-DSA proof value altered", j -> {
            ObjectNode pq = (ObjectNode) j.get("proof").get(1);
            String v = pq.get("proofValue").asText();
            pq.put("proofValue", v.substring(0, 40) + (v.charAt(40) == 'A' ? 'B' : 'A') + v.substring(41));
        }, "invalid ML-DSA-65");
    }

    @Test
    void truncatedJsonIsRefusedWithAClearMessage() {
        String json = credential.toJson();
        for (int cut : new int[] {1, json.length() / 3, json.length() / 2, json.length() - 3}) {
            String m = message(json.substring(0, cut));
            assertTrue(m.startsWith("truncated credential JSON") || m.startsWith("malformed credential JSON"), m);
            assertFalse(m.contains("Source:") || m.contains("com.fasterxml"), "no Jackson internals: " + m);
        }
        assertTrue(message(json.substring(0, json.length() / 2)).contains("truncated"));
    }

    @Test
    void malformedJsonIsRefusedWithAClearMessage() {
        String m = message("{\"id\": }");
        assertTrue(m.startsWith("malformed credential JSON at line 1, column"), m);
        assertFalse(m.contains("Source:"), m);
        assertTrue(message(credential.toJson() + "{}").startsWith("malformed credential JSON"), "trailing content");
        assertEquals("empty credential JSON", message("   "));
        assertEquals("empty credential JSON", message(null));
        assertTrue(message("[1, 2]").contains("must be a JSON object"));
        assertTrue(message("x".repeat(CredentialJson.MAX_CHARS + 1)).contains("too large"));
    }

    @Test
    void duplicateKeysAreRefused() {
        String json = credential.toJson();
        String twice = json.replaceFirst("\"issuer\"", "\"issuer\" : \"" + Ed25519.generate().did() + "\",\n  \"issuer\"");
        assertTrue(message(twice).contains("Duplicate field 'issuer'"), message(twice));
    }

    /** Parses after {@code change} and returns the refusal message. */
    private String refusal(Consumer<ObjectNode> change) throws Exception {
        ObjectNode json = tree();
        change.accept(json);
        return message(MAPPER.writeValueAsString(json));
    }

    @Test
    void incompleteOrUnexpectedDocumentsAreRefusedByField() throws Exception {
        assertTrue(refusal(j -> j.put("extra", 1)).contains("unknown field extra"));
        assertTrue(refusal(j -> subjectOf(j).put("admin", true)).contains("unknown field credentialSubject.admin"));
        assertTrue(refusal(j -> ((ObjectNode) subjectOf(j).get("limits")).put("burst", 9))
                .contains("unknown field credentialSubject.limits.burst"));
        assertTrue(refusal(j -> ((ObjectNode) j.get("proof").get(0)).put("created", "now"))
                .contains("unknown field proof[0].created"));
        assertTrue(refusal(j -> j.remove("proof")).contains("proof is missing"));
        assertTrue(refusal(j -> j.remove("issuer")).contains("issuer is missing"));
        assertTrue(refusal(j -> j.remove("credentialSubject")).contains("credentialSubject is missing"));
        assertTrue(refusal(j -> subjectOf(j).remove("places")).contains("credentialSubject.places is missing"));
        assertTrue(refusal(j -> subjectOf(j).put("places", "sahel-*"))
                .contains("credentialSubject.places must be an array of strings"));
        assertTrue(refusal(j -> j.putArray("@context").add("https://example.org")).contains("@context"));
        assertTrue(refusal(j -> j.putArray("type").add("VerifiableCredential")).contains("type must contain"));
        assertTrue(refusal(j -> j.put("id", "drought-watch/agent-001")).contains("id must be a URN"));
        assertTrue(refusal(j -> j.put("issuer", "did:web:example.org")).contains("issuer must be a Nexus DID"));
        assertTrue(refusal(j -> j.put("issuer", "did:nexus:abc")).contains("issuer must be a Nexus DID"));
        assertTrue(refusal(j -> j.put("validFrom", "yesterday")).contains("validFrom must be an ISO-8601"));
        assertTrue(refusal(j -> j.put("validFrom", "2026-09-21T14:12:20.123456Z")).contains("sub-millisecond"));
        assertTrue(refusal(j -> ((ObjectNode) subjectOf(j).get("limits")).put("ratePerMinute", 1.5))
                .contains("ratePerMinute must be a whole number"));
        assertTrue(refusal(j -> ((ObjectNode) subjectOf(j).get("limits").get("valueCaps")).put("mw", -5))
                .contains("must be a finite number >= 0"));
        assertTrue(refusal(j -> ((ObjectNode) subjectOf(j).get("limits").get("valueCaps")).put("mw", "50"))
                .contains("valueCaps.mw must be a number"));
        assertTrue(refusal(j -> ((ObjectNode) j.get("proof").get(0)).put("cryptosuite", "eddsa-rdfc-2022"))
                .contains("is not one of"));
        assertTrue(refusal(j -> ((ObjectNode) j.get("proof").get(0)).put("proofPurpose", "authentication"))
                .contains("proofPurpose"));
    }

    @Test
    void offsetTimesAreAcceptedAsTheSameInstant() throws Exception {
        ObjectNode json = tree();
        json.put("validFrom", "2026-09-21T16:12:20.123+02:00");
        Credential c = Credential.fromJson(MAPPER.writeValueAsString(json));
        assertEquals(credential.notBefore(), c.notBefore());
        assertEquals(Optional.empty(), check(c));
    }

    @Test
    void aSingleProofObjectIsReadLikeAnArrayOfOne() throws Exception {
        Credential classic = Credential.issue(Ed25519.generate(), "c", subject.did(), List.of("a"), NOW, NOW + 1);
        ObjectNode json = (ObjectNode) MAPPER.readTree(classic.toJson());
        json.set("proof", json.get("proof").get(0));
        assertEquals(classic, Credential.fromJson(MAPPER.writeValueAsString(json)));
        assertEquals(Map.of(), classic.limits().valueCaps());
    }
}
