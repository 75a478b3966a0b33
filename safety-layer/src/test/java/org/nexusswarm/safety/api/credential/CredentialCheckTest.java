package org.nexusswarm.safety.api.credential;

import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.CredentialProblem;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.credential.MlDsa65;
import org.nexusswarm.safety.api.credential.TrustedIssuers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.safety.api.credential.Credential.Limits;
import org.nexusswarm.safety.api.credential.Credential.Proof;

/** {@link Credential#check}: every refusal with its code, hybrid proofs, places and value caps. */
class CredentialCheckTest {

    private static final long NOW = 1_790_000_000_000L;
    private static final IssuerKeys HYBRID = IssuerKeys.generate(true);
    private static final IssuerKeys CLASSIC = IssuerKeys.generate(false);

    private final SwarmKeyPair subject = Ed25519.generate();
    private final Limits limits = Limits.UNLIMITED.withRatePerMinute(30).withFuelBudget(1000).withCap("mw", 50);

    private Credential issue(IssuerKeys issuer) {
        return Credential.issue(issuer, "c-" + System.nanoTime(), subject.did(), List.of("grid.shed-load"),
                List.of("sahel-*", "cell-7"), limits, NOW - 1000, NOW + 1000);
    }

    private static TrustedIssuers pqRequired(IssuerKeys issuer) {
        return TrustedIssuers.none().with(issuer.did(), issuer.mlDsaPublicKey().orElseThrow(), true);
    }

    private static CredentialProblem problem(Optional<CredentialProblem> p) {
        assertTrue(p.isPresent(), "expected a refusal");
        return p.get();
    }

    @Test
    void aHybridCredentialPassesWhenBothProofsVerify() {
        Credential c = issue(HYBRID);
        assertTrue(c.postQuantum());
        assertEquals(2, c.proofs().size());
        assertEquals(Optional.empty(), c.check(subject.did(), pqRequired(HYBRID), NOW));
        assertEquals(Optional.empty(), c.check(subject.did(), TrustedIssuers.none().with(HYBRID.did()), NOW),
                "Ed25519-only trust accepts the hybrid credential");
    }

    @Test
    void aForgedEd25519SignatureIsRefused() {
        Credential c = issue(CLASSIC);
        byte[] forged = c.signature();
        forged[10] ^= 1;
        Credential tampered = c.withProofs(List.of(Proof.ed25519(c.issuerDid(), forged)));
        CredentialProblem p = problem(tampered.check(subject.did(), TrustedIssuers.none().with(CLASSIC.did()), NOW));
        assertEquals(RefusalCode.NOT_IN_CREDENTIAL, p.code());
        assertTrue(p.detail().contains("invalid issuer signature"), p.detail());
        // Signed by somebody else's key but claiming the trusted issuer.
        Credential impostor = Credential.issue(IssuerKeys.generate(false), c.id(), subject.did(), c.allowedActions(),
                c.places(), c.limits(), c.notBefore(), c.notAfter());
        Credential claimed = new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.places(),
                c.limits(), c.notBefore(), c.notAfter(), List.of(Proof.ed25519(c.issuerDid(), impostor.signature())));
        assertTrue(problem(claimed.check(subject.did(), TrustedIssuers.none().with(CLASSIC.did()), NOW)).detail()
                .contains("invalid issuer signature"));
    }

    @Test
    void everySemanticFieldIsCoveredByTheSignature() {
        Credential c = issue(HYBRID);
        List<Credential> tampered = new ArrayList<>();
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), List.of("*"),
                c.limits(), c.notBefore(), c.notAfter(), c.proofs()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.places(),
                c.limits().withCap("mw", 51), c.notBefore(), c.notAfter(), c.proofs()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.places(),
                c.limits().withRatePerMinute(0), c.notBefore(), c.notAfter(), c.proofs()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.places(),
                c.limits().withFuelBudget(0), c.notBefore(), c.notAfter(), c.proofs()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), List.of("grid.shed-load", "funds.move"),
                c.places(), c.limits(), c.notBefore(), c.notAfter(), c.proofs()));
        tampered.add(new Credential(c.id() + "x", c.issuerDid(), c.subjectDid(), c.allowedActions(), c.places(),
                c.limits(), c.notBefore(), c.notAfter(), c.proofs()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.places(),
                c.limits(), c.notBefore(), c.notAfter() + 1, c.proofs()));
        for (Credential t : tampered) {
            CredentialProblem p = problem(t.check(subject.did(), pqRequired(HYBRID), NOW));
            assertEquals(RefusalCode.NOT_IN_CREDENTIAL, p.code());
            assertTrue(p.detail().contains("invalid issuer signature"), p.detail());
        }
    }

    @Test
    void aCredentialForAnotherSubjectIsRefused() {
        Credential c = issue(CLASSIC);
        Did other = Ed25519.generate().did();
        CredentialProblem p = problem(c.check(other, TrustedIssuers.none().with(CLASSIC.did()), NOW));
        assertEquals(RefusalCode.NOT_IN_CREDENTIAL, p.code());
        assertTrue(p.detail().contains("is issued to " + subject.did()), p.detail());
    }

    @Test
    void anUntrustedIssuerIsRefused() {
        Credential c = issue(CLASSIC);
        CredentialProblem p = problem(c.check(subject.did(), TrustedIssuers.none().with(HYBRID.did()), NOW));
        assertEquals(RefusalCode.NOT_IN_CREDENTIAL, p.code());
        assertTrue(p.detail().contains("untrusted issuer " + CLASSIC.did()), p.detail());
        assertTrue(problem(c.check(subject.did(), TrustedIssuers.none(), NOW)).detail().contains("untrusted"));
    }

    @Test
    void theValidityWindowIsInclusiveAndEnforcedWithItsOwnCodes() {
        Credential c = issue(CLASSIC);
        TrustedIssuers trust = TrustedIssuers.none().with(CLASSIC.did());
        assertEquals(Optional.empty(), c.check(subject.did(), trust, NOW - 1000));
        assertEquals(Optional.empty(), c.check(subject.did(), trust, NOW + 1000));
        CredentialProblem early = problem(c.check(subject.did(), trust, NOW - 1001));
        assertEquals(RefusalCode.NOT_YET_VALID, early.code());
        assertTrue(early.detail().contains("not valid before"), early.detail());
        CredentialProblem late = problem(c.check(subject.did(), trust, NOW + 1001));
        assertEquals(RefusalCode.EXPIRED, late.code());
        assertTrue(late.detail().contains("expired at"), late.detail());
    }

    @Test
    void postQuantumRequiredButMissingIsRefused() {
        Credential classic = issue(CLASSIC);
        // An issuer that holds an ML-DSA key but issued an Ed25519-only credential, on a rail requiring PQ.
        IssuerKeys sameEdNoPq = IssuerKeys.of(HYBRID.ed25519());
        Credential edOnly = Credential.issue(sameEdNoPq, "ed-only", subject.did(), List.of("a"), List.of("*"),
                Limits.UNLIMITED, NOW - 1, NOW + 1);
        assertEquals(Optional.empty(), edOnly.check(subject.did(), TrustedIssuers.none().with(HYBRID.did()), NOW));
        CredentialProblem p = problem(edOnly.check(subject.did(), pqRequired(HYBRID), NOW));
        assertEquals(RefusalCode.NOT_IN_CREDENTIAL, p.code());
        assertTrue(p.detail().contains("lacks the ML-DSA-65 proof"), p.detail());
        assertFalse(classic.postQuantum());
    }

    @Test
    void strippingTheMlDsaProofBreaksTheEd25519ProofToo() {
        Credential c = issue(HYBRID);
        Credential stripped = c.withProofs(List.of(c.proof(Proof.ED25519).orElseThrow()));
        CredentialProblem p = problem(stripped.check(subject.did(), TrustedIssuers.none().with(HYBRID.did()), NOW));
        assertTrue(p.detail().contains("invalid issuer signature"), "even where PQ is not required: " + p.detail());
        assertTrue(problem(stripped.check(subject.did(), pqRequired(HYBRID), NOW)).detail()
                .contains("invalid issuer signature"));
    }

    @Test
    void aForgedMlDsaProofIsRefusedWhileEd25519StillVerifies() {
        Credential c = issue(HYBRID);
        byte[] pq = c.proof(Proof.ML_DSA_65).orElseThrow().value();
        pq[100] ^= 1;
        Credential forged = c.withProofs(List.of(c.proof(Proof.ED25519).orElseThrow(),
                Proof.mlDsa65(c.issuerDid(), pq)));
        TrustedIssuers edOnly = TrustedIssuers.none().with(HYBRID.did());
        // Without the ML-DSA key the Ed25519 half alone decides (and it is intact).
        assertEquals(Optional.empty(), forged.check(subject.did(), edOnly, NOW));
        CredentialProblem p = problem(forged.check(subject.did(), pqRequired(HYBRID), NOW));
        assertEquals(RefusalCode.NOT_IN_CREDENTIAL, p.code());
        assertTrue(p.detail().contains("invalid ML-DSA-65 issuer signature"), p.detail());
        // Known key, PQ not required: a present but forged half is still refused.
        TrustedIssuers known = TrustedIssuers.none().with(HYBRID.did(), HYBRID.mlDsaPublicKey().orElseThrow(), false);
        assertTrue(problem(forged.check(subject.did(), known, NOW)).detail().contains("invalid ML-DSA-65"));
        // A valid ML-DSA signature by another key does not pass either.
        java.security.KeyPair other = MlDsa65.generate();
        Credential otherKey = c.withProofs(List.of(c.proof(Proof.ED25519).orElseThrow(),
                Proof.mlDsa65(c.issuerDid(), MlDsa65.sign(other.getPrivate(), c.signedBytes()))));
        assertTrue(problem(otherKey.check(subject.did(), pqRequired(HYBRID), NOW)).detail()
                .contains("invalid ML-DSA-65"));
    }

    @Test
    void malformedProofListsAreRefused() {
        Credential c = issue(HYBRID);
        TrustedIssuers trust = pqRequired(HYBRID);
        Proof ed = c.proof(Proof.ED25519).orElseThrow();
        Proof pq = c.proof(Proof.ML_DSA_65).orElseThrow();
        assertTrue(problem(c.withProofs(List.of(ed, pq, new Proof("rsa-1024", "x", "u")))
                .check(subject.did(), trust, NOW)).detail().contains("unknown suite 'rsa-1024'"));
        assertTrue(problem(c.withProofs(List.of(ed, pq, pq)).check(subject.did(), trust, NOW)).detail()
                .contains("more than one"));
        assertTrue(problem(c.withProofs(List.of(new Proof(Proof.ED25519, "did:nexus:other#ed25519",
                ed.proofValue()), pq)).check(subject.did(), trust, NOW)).detail().contains("verification method"));
        assertTrue(problem(c.withProofs(List.of(pq)).check(subject.did(), trust, NOW)).detail()
                .contains("no Ed25519 proof"));
        assertTrue(problem(c.withProofs(List.of(new Proof(Proof.ED25519, ed.verificationMethod(), "not-multibase"),
                pq)).check(subject.did(), trust, NOW)).detail().contains("invalid issuer signature"));
    }

    @Test
    void placesMatchExactlyOrByGlob() {
        Credential c = issue(CLASSIC);
        assertTrue(c.allowsPlace("sahel-north"));
        assertTrue(c.allowsPlace("sahel-"));
        assertTrue(c.allowsPlace("cell-7"));
        assertFalse(c.allowsPlace("cell-70"));
        assertFalse(c.allowsPlace("sahe"));
        assertFalse(c.allowsPlace("north-sahel-1"));
        assertFalse(c.allowsPlace("Sahel-north"));
        assertFalse(c.allowsPlace(null));
        Credential anywhere = Credential.issue(Ed25519.generate(), "x", subject.did(), List.of("a"), NOW, NOW + 1);
        assertEquals(List.of("*"), anywhere.places());
        assertTrue(anywhere.allowsPlace("anything-at-all"));
        assertTrue(anywhere.allowsPlace(""));
        assertTrue(Credential.globMatches("a*b*c", "a-xx-b-yy-c"));
        assertFalse(Credential.globMatches("a*b*c", "a-xx-c-yy-b"));
        assertTrue(Credential.globMatches("*-7", "cell-7"));
        assertFalse(Credential.globMatches("cell-?", "cell-7"), "only * is special");
    }

    @Test
    void valueCapsRefuseParametersOverTheirCap() {
        Credential c = issue(CLASSIC);
        assertEquals(Optional.empty(), c.capProblem(Map.of("mw", 50.0)));
        assertEquals(Optional.empty(), c.capProblem(Map.of("mw", 12.5, "hours", 99.0)), "uncapped parameters pass");
        assertEquals(Optional.empty(), c.capProblem(Map.of()));
        assertEquals(Optional.empty(), c.capProblem(null));
        String over = c.capProblem(Map.of("mw", 50.0001)).orElseThrow();
        assertTrue(over.contains("'mw'") && over.contains("50.0001") && over.contains("cap 50.0"), over);
        Map<String, Double> nan = new HashMap<>();
        nan.put("mw", Double.NaN);
        assertTrue(c.capProblem(nan).isPresent(), "NaN never passes a cap");
        assertTrue(c.capProblem(Map.of("mw", Double.POSITIVE_INFINITY)).isPresent());
    }

    @Test
    void badIssuanceInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Credential.issue(CLASSIC, " ", subject.did(),
                List.of("a"), List.of("*"), Limits.UNLIMITED, NOW, NOW + 1));
        assertThrows(IllegalArgumentException.class, () -> Credential.issue(CLASSIC, "x", subject.did(),
                List.of("a"), List.of(), Limits.UNLIMITED, NOW, NOW + 1));
        assertThrows(IllegalArgumentException.class, () -> Credential.issue(CLASSIC, "x", subject.did(),
                List.of("a"), List.of("*"), Limits.UNLIMITED, NOW + 1, NOW));
        assertThrows(IllegalArgumentException.class, () -> Credential.issue(CLASSIC, "x", subject.did(),
                List.of(" "), List.of("*"), Limits.UNLIMITED, NOW, NOW + 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(-1, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, -1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Limits.UNLIMITED.withCap("mw", -1));
        assertThrows(IllegalArgumentException.class, () -> Limits.UNLIMITED.withCap("mw", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Limits.UNLIMITED.withCap(" ", 1));
    }

    @Test
    void trustedIssuersRefuseInconsistentEntriesAndNeverDowngrade() {
        assertThrows(IllegalArgumentException.class, () -> TrustedIssuers.none().with(HYBRID.did(), null, true));
        IllegalArgumentException notMlDsa = assertThrows(IllegalArgumentException.class,
                () -> TrustedIssuers.none().with(HYBRID.did(), new byte[] {1, 2, 3}, false));
        assertTrue(notMlDsa.getMessage().contains("ML-DSA"), notMlDsa.getMessage());
        TrustedIssuers strict = pqRequired(HYBRID).with(HYBRID.did());
        assertTrue(strict.entry(HYBRID.did().value()).orElseThrow().requirePq(), "with(did) keeps the PQ entry");
        assertTrue(TrustedIssuers.ed25519Only(List.of("not-a-did", CLASSIC.did().value())).trusts(
                CLASSIC.did().value()));
    }

    @Test
    void aHybridCredentialSurvivesKryoAndStaysVerifiable() {
        Credential c = issue(HYBRID);
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        Credential copy = (Credential) kryo.fromBytes(kryo.toBytes(c));
        assertEquals(c, copy);
        assertEquals(Optional.empty(), copy.check(subject.did(), pqRequired(HYBRID), NOW));
        assertEquals(Optional.of(361), kryo.idOf(Limits.class));
        assertEquals(Optional.of(362), kryo.idOf(Proof.class));
    }
}
