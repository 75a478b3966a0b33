package org.nexusswarm.safety.api.credential;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.RefusalCode;

/**
 * A verifiable credential issued by a rail's issuer to one entity, shaped after the W3C VC data model: what
 * action classes its logic may perform, in which places, within which limits, and when; proven by the issuer's
 * Ed25519 signature and, for hybrid post-quantum credentials, also an ML-DSA-65 signature.
 *
 * <p><b>Canonical form.</b> Both proofs sign {@link #signedBytes()}, a binary encoding of every semantic field
 * (see there), never the JSON text: {@link #toJson()} / {@link #fromJson} map between the two, so JSON whitespace
 * and key order do not matter while any change of meaning breaks the proofs. The set of proof suites is part of
 * the signed bytes, so stripping the ML-DSA proof from a hybrid credential also breaks its Ed25519 proof.
 *
 * <p><b>Checking.</b> {@link #check} is the full verification (trust, subject, proofs, validity window); it is
 * expensive (~13 k Ed25519 or ~6 k ML-DSA verifications/s), so supervisors run it once per start and cache the
 * result. {@link #allows}, {@link #allowsPlace} and {@link #capProblem} are cheap per-intent checks. Revocation
 * is not part of the credential: ask the {@link RevocationList}. Ids must be unique across the swarm, since
 * revocation names credentials by id alone.
 *
 * @param id             credential id (the JSON {@code id} is {@code urn:nexus:credential:<id>})
 * @param issuerDid      DID of the issuer's Ed25519 key
 * @param subjectDid     DID of the entity it is issued to
 * @param allowedActions action classes the subject may perform (exact names)
 * @param places         region or cell ids it may act in; {@code *} in a pattern matches any run of characters
 *                       ({@code sahel-*}), {@code *} alone matches anywhere
 * @param limits         rate, fuel and per-parameter value caps (0 / absent = unlimited)
 * @param notBefore      validity start, epoch millis (inclusive)
 * @param notAfter       validity end, epoch millis (inclusive)
 * @param proofs         the issuer's proofs over {@link #signedBytes()}
 */
public record Credential(
        String id, String issuerDid, String subjectDid, List<String> allowedActions, List<String> places,
        Limits limits, long notBefore, long notAfter, List<Proof> proofs) implements SwarmMessage {

    /** The place pattern that matches every place. */
    public static final String ANYWHERE = "*";

    /**
     * Limits on what the subject may spend. The supervisor enforces rate and fuel; {@link #capProblem} checks caps.
     *
     * @param ratePerMinute most intents per minute, 0 = unlimited
     * @param fuelBudget    total fuel the subject may consume, 0 = unlimited
     * @param valueCaps     per parameter name, the largest value an intent may carry (e.g. {@code mw -> 50.0})
     */
    public record Limits(long ratePerMinute, long fuelBudget, Map<String, Double> valueCaps) {

        public static final Limits UNLIMITED = new Limits(0, 0, Map.of());

        public Limits {
            if (ratePerMinute < 0 || fuelBudget < 0) {
                throw new IllegalArgumentException("ratePerMinute and fuelBudget must be >= 0 (0 = unlimited)");
            }
            valueCaps = valueCaps == null ? Map.of() : Map.copyOf(valueCaps);
            valueCaps.forEach((name, cap) -> {
                if (name.isBlank()) {
                    throw new IllegalArgumentException("a value cap needs a parameter name");
                }
                if (cap.isNaN() || cap.isInfinite() || cap < 0) {
                    throw new IllegalArgumentException("value cap " + name + " must be a finite number >= 0, not "
                            + cap);
                }
            });
        }

        public boolean unlimited() {
            return ratePerMinute == 0 && fuelBudget == 0 && valueCaps.isEmpty();
        }

        public Limits withRatePerMinute(long perMinute) {
            return new Limits(perMinute, fuelBudget, valueCaps);
        }

        public Limits withFuelBudget(long fuel) {
            return new Limits(ratePerMinute, fuel, valueCaps);
        }

        public Limits withCap(String parameter, double cap) {
            Map<String, Double> more = new TreeMap<>(valueCaps);
            more.put(parameter, cap);
            return new Limits(ratePerMinute, fuelBudget, more);
        }

        @Override
        public String toString() {
            return "rate/min " + (ratePerMinute == 0 ? "unlimited" : ratePerMinute) + ", fuel "
                    + (fuelBudget == 0 ? "unlimited" : fuelBudget) + ", caps " + new TreeMap<>(valueCaps);
        }
    }

    /**
     * One Data Integrity proof over {@link Credential#signedBytes()}.
     *
     * @param cryptosuite        {@link #ED25519} or {@link #ML_DSA_65}
     * @param verificationMethod {@code <issuer DID>#ed25519} or {@code <issuer DID>#ml-dsa-65}
     * @param proofValue         the signature, multibase base64url ({@code u...})
     */
    public record Proof(String cryptosuite, String verificationMethod, String proofValue) {

        public static final String ED25519 = "nexus-ed25519-2025";
        public static final String ML_DSA_65 = "nexus-mldsa65-2025";

        public static Proof ed25519(String issuerDid, byte[] signature) {
            return new Proof(ED25519, expectedMethod(issuerDid, ED25519), encode(signature));
        }

        public static Proof mlDsa65(String issuerDid, byte[] signature) {
            return new Proof(ML_DSA_65, expectedMethod(issuerDid, ML_DSA_65), encode(signature));
        }

        /** The verification method a proof of {@code suite} by {@code issuerDid} must name. */
        public static String expectedMethod(String issuerDid, String suite) {
            return issuerDid + (ML_DSA_65.equals(suite) ? "#ml-dsa-65" : "#ed25519");
        }

        static boolean knownSuite(String suite) {
            return ED25519.equals(suite) || ML_DSA_65.equals(suite);
        }

        private static String encode(byte[] signature) {
            return "u" + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        }

        /** The signature bytes; empty when the value is not multibase base64url. */
        public byte[] value() {
            if (proofValue == null || !proofValue.startsWith("u")) {
                return new byte[0];
            }
            try {
                return Base64.getUrlDecoder().decode(proofValue.substring(1));
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
    }

    public Credential {
        allowedActions = allowedActions == null ? List.of() : List.copyOf(allowedActions);
        places = places == null ? List.of() : List.copyOf(places);
        limits = limits == null ? Limits.UNLIMITED : limits;
        proofs = proofs == null ? List.of() : List.copyOf(proofs);
    }

    /**
     * The foundation's shape: valid anywhere, unlimited, with an Ed25519 signature (empty or null for none).
     * Kept so existing code and tests that rebuild credentials field by field still work.
     */
    public Credential(String id, String issuerDid, String subjectDid, List<String> allowedActions, long notBefore,
            long notAfter, byte[] signature) {
        this(id, issuerDid, subjectDid, allowedActions, List.of(ANYWHERE), Limits.UNLIMITED, notBefore, notAfter,
                signature == null || signature.length == 0 ? List.of() : List.of(Proof.ed25519(issuerDid, signature)));
    }

    /** Issues and signs (Ed25519) a credential valid anywhere and without limits. */
    public static Credential issue(SwarmKeyPair issuer, String id, Did subject, List<String> allowedActions,
            long notBefore, long notAfter) {
        return issue(IssuerKeys.of(issuer), id, subject, allowedActions, List.of(ANYWHERE), Limits.UNLIMITED,
                notBefore, notAfter);
    }

    /**
     * Issues and signs a credential: an Ed25519 proof always, and an ML-DSA-65 proof too when {@code issuer}
     * holds an ML-DSA key. Throws {@link IllegalArgumentException} on a blank id, no places, blank action classes
     * or places, or an empty validity window.
     */
    public static Credential issue(IssuerKeys issuer, String id, Did subject, List<String> actionClasses,
            List<String> places, Limits limits, long notBefore, long notAfter) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a credential needs an id");
        }
        if (places == null || places.isEmpty()) {
            throw new IllegalArgumentException("a credential needs at least one place (\"*\" for anywhere)");
        }
        if (actionClasses == null || actionClasses.stream().anyMatch(a -> a == null || a.isBlank())
                || places.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw new IllegalArgumentException("action classes and places must not be blank");
        }
        if (notAfter < notBefore) {
            throw new IllegalArgumentException("the validity window ends (" + Instant.ofEpochMilli(notAfter)
                    + ") before it begins (" + Instant.ofEpochMilli(notBefore) + ")");
        }
        String issuerDid = issuer.did().value();
        List<Proof> suites = new ArrayList<>(List.of(new Proof(Proof.ED25519, "", "")));
        issuer.mlDsa().ifPresent(k -> suites.add(new Proof(Proof.ML_DSA_65, "", "")));
        Credential unsigned = new Credential(id, issuerDid, subject.value(), actionClasses, places, limits,
                notBefore, notAfter, suites);
        byte[] bytes = unsigned.signedBytes();
        List<Proof> proofs = new ArrayList<>(List.of(Proof.ed25519(issuerDid, issuer.ed25519().sign(bytes))));
        Optional<KeyPair> mlDsa = issuer.mlDsa();
        mlDsa.ifPresent(k -> proofs.add(Proof.mlDsa65(issuerDid, MlDsa65.sign(k.getPrivate(), bytes))));
        return unsigned.withProofs(proofs);
    }

    /** This credential with other proofs (for tests and tools; proofs are checked by {@link #check}). */
    public Credential withProofs(List<Proof> newProofs) {
        return new Credential(id, issuerDid, subjectDid, allowedActions, places, limits, notBefore, notAfter,
                newProofs);
    }

    /** The Ed25519 signature (the foundation's single signature), or an empty array when there is none. */
    public byte[] signature() {
        return proof(Proof.ED25519).map(Proof::value).orElse(new byte[0]);
    }

    public Optional<Proof> proof(String cryptosuite) {
        return proofs.stream().filter(p -> cryptosuite.equals(p.cryptosuite())).findFirst();
    }

    /** True when the issuer made this a hybrid (Ed25519 + ML-DSA-65) credential. */
    public boolean postQuantum() {
        return proof(Proof.ML_DSA_65).isPresent();
    }

    public boolean allows(String actionClass) {
        return allowedActions.contains(actionClass);
    }

    /** True when {@code place} matches one of the credential's place patterns. */
    public boolean allowsPlace(String place) {
        if (place == null) {
            return false;
        }
        for (String pattern : places) {
            if (globMatches(pattern, place)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first parameter (by name) whose value exceeds its cap, described; empty when all are within their caps.
     * Parameters without a cap are not limited; a NaN or infinite value under a cap always exceeds it.
     */
    public Optional<String> capProblem(Map<String, Double> parameters) {
        if (parameters == null || limits.valueCaps().isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, Double> cap : new TreeMap<>(limits.valueCaps()).entrySet()) {
            Double value = parameters.get(cap.getKey());
            if (value != null && (value.isNaN() || value.isInfinite() || value > cap.getValue())) {
                return Optional.of("parameter '" + cap.getKey() + "' = " + value + " exceeds its cap "
                        + cap.getValue() + " in credential " + id);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the credential for {@code subject} at {@code nowMillis}; returns the problem, or empty when valid.
     * The foundation's check: Ed25519 trust in {@code trustedIssuers} (DID strings). See {@link #check}.
     */
    public Optional<String> problemFor(Did subject, Set<String> trustedIssuers, long nowMillis) {
        return check(subject, TrustedIssuers.ed25519Only(trustedIssuers), nowMillis).map(CredentialProblem::detail);
    }

    /**
     * The full check for {@code subject} at {@code nowMillis}, in this order: trusted issuer, subject, proof
     * suites, Ed25519 proof, ML-DSA-65 proof (required when the issuer's rail requires PQ; verified whenever
     * present and the issuer's ML-DSA key is known), validity window. Empty when valid.
     */
    public Optional<CredentialProblem> check(Did subject, TrustedIssuers trust, long nowMillis) {
        Optional<TrustedIssuers.Entry> entry = trust.entry(issuerDid);
        if (entry.isEmpty()) {
            return refuse("credential " + id + " is issued by an untrusted issuer " + issuerDid);
        }
        if (!subject.value().equals(subjectDid)) {
            return refuse("credential " + id + " is issued to " + subjectDid + ", not to " + subject);
        }
        Optional<CredentialProblem> malformed = proofStructureProblem();
        if (malformed.isPresent()) {
            return malformed;
        }
        byte[] bytes = signedBytes();
        Optional<Proof> ed = proof(Proof.ED25519);
        if (ed.isEmpty() || !Ed25519.verify(new Did(issuerDid).publicKey(), bytes, ed.get().value())) {
            return refuse("credential " + id + " has an invalid issuer signature"
                    + (ed.isEmpty() ? " (no Ed25519 proof)" : ""));
        }
        Optional<Proof> pq = proof(Proof.ML_DSA_65);
        TrustedIssuers.Entry trusted = entry.get();
        if (trusted.requirePq() && pq.isEmpty()) {
            return refuse("credential " + id + " lacks the ML-DSA-65 proof that issuer " + issuerDid
                    + " requires (post-quantum required)");
        }
        if (pq.isPresent() && trusted.mlDsaKey().isPresent()
                && !MlDsa65.verify(trusted.mlDsaKey().get(), bytes, pq.get().value())) {
            return refuse("credential " + id + " has an invalid ML-DSA-65 issuer signature");
        }
        if (nowMillis < notBefore) {
            return Optional.of(new CredentialProblem(RefusalCode.NOT_YET_VALID,
                    "credential " + id + " is not valid before " + Instant.ofEpochMilli(notBefore)));
        }
        if (nowMillis > notAfter) {
            return Optional.of(new CredentialProblem(RefusalCode.EXPIRED,
                    "credential " + id + " expired at " + Instant.ofEpochMilli(notAfter)));
        }
        return Optional.empty();
    }

    private Optional<CredentialProblem> proofStructureProblem() {
        Set<String> seen = new HashSet<>();
        for (Proof p : proofs) {
            if (!Proof.knownSuite(p.cryptosuite())) {
                return refuse("credential " + id + " carries a proof of unknown suite '" + p.cryptosuite() + "'");
            }
            if (!seen.add(p.cryptosuite())) {
                return refuse("credential " + id + " carries more than one " + p.cryptosuite() + " proof");
            }
            String expected = Proof.expectedMethod(issuerDid, p.cryptosuite());
            if (!expected.equals(p.verificationMethod())) {
                return refuse("credential " + id + " has a proof for verification method " + p.verificationMethod()
                        + ", expected " + expected);
            }
        }
        return Optional.empty();
    }

    private static Optional<CredentialProblem> refuse(String detail) {
        return Optional.of(new CredentialProblem(RefusalCode.NOT_IN_CREDENTIAL, detail));
    }

    /**
     * The bytes every proof signs (format {@code nexus-credential-v2}): each string as a 4-byte big-endian length
     * and its UTF-8 bytes, each list as a 4-byte count and its items in order, each number as 8 bytes big-endian
     * (value caps as IEEE-754 bits): the tag, id, issuer, subject, action classes, places, rate per minute, fuel
     * budget, value caps sorted by name (name, cap), not-before, not-after, and the proof suites present, sorted.
     * Proof values and verification methods are not signed.
     */
    public byte[] signedBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, "nexus-credential-v2");
            writeString(out, id);
            writeString(out, issuerDid);
            writeString(out, subjectDid);
            writeStrings(out, allowedActions);
            writeStrings(out, places);
            out.writeLong(limits.ratePerMinute());
            out.writeLong(limits.fuelBudget());
            Map<String, Double> caps = new TreeMap<>(limits.valueCaps());
            out.writeInt(caps.size());
            for (Map.Entry<String, Double> cap : caps.entrySet()) {
                writeString(out, cap.getKey());
                out.writeLong(Double.doubleToLongBits(cap.getValue()));
            }
            out.writeLong(notBefore);
            out.writeLong(notAfter);
            TreeSet<String> suites = new TreeSet<>();
            proofs.forEach(p -> suites.add(String.valueOf(p.cryptosuite())));
            writeStrings(out, List.copyOf(suites));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            writeString(out, v);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** This credential as a W3C Verifiable Credential JSON document (pretty-printed). */
    public String toJson() {
        return CredentialJson.write(this);
    }

    /**
     * Parses a W3C VC JSON document written by {@link #toJson()} (whitespace and key order are free). Throws
     * {@link IllegalArgumentException} with a readable message on malformed, truncated or incomplete JSON and on
     * unknown fields (nothing unsigned can ride along). Parsing does not verify: call {@link #check}.
     */
    public static Credential fromJson(String json) {
        return CredentialJson.read(json);
    }

    /** Glob match where {@code *} matches any run of characters (also none); everything else is literal. */
    static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
