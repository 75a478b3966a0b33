package org.nexusswarm.safety.api.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.serialization.SwarmKryo;

class CredentialTest {

    private static final long NOW = 1_790_000_000_000L;

    private final SwarmKeyPair issuer = Ed25519.generate();
    private final SwarmKeyPair subject = Ed25519.generate();
    private final Set<String> trusted = Set.of(issuer.did().value());
    private final Credential credential = Credential.issue(issuer, "c-1", subject.did(),
            List.of("compute.request", "alert.raise"), NOW - 1000, NOW + 1000);

    @Test
    void aFreshCredentialIsValidAndAllowsExactlyItsActions() {
        assertEquals(Optional.empty(), credential.problemFor(subject.did(), trusted, NOW));
        assertEquals(Optional.empty(), credential.problemFor(subject.did(), trusted, NOW + 1000), "inclusive end");
        assertTrue(credential.allows("compute.request"));
        assertFalse(credential.allows("compute"));
        assertFalse(credential.allows("Compute.Request"));
    }

    @Test
    void eachProblemIsNamed() {
        assertTrue(credential.problemFor(subject.did(), Set.of(), NOW).orElseThrow().contains("untrusted issuer"));
        assertTrue(credential.problemFor(Ed25519.generate().did(), trusted, NOW).orElseThrow().contains("issued to"));
        assertTrue(credential.problemFor(subject.did(), trusted, NOW - 1001).orElseThrow().contains("not valid before"));
        assertTrue(credential.problemFor(subject.did(), trusted, NOW + 1001).orElseThrow().contains("expired"));
    }

    @Test
    void theIssuerSignatureCoversEveryField() {
        List<Credential> tampered = new ArrayList<>();
        Credential c = credential;
        tampered.add(new Credential("c-2", c.issuerDid(), c.subjectDid(), c.allowedActions(), c.notBefore(),
                c.notAfter(), c.signature()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), List.of("compute.request"),
                c.notBefore(), c.notAfter(), c.signature()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.notBefore() - 1,
                c.notAfter(), c.signature()));
        tampered.add(new Credential(c.id(), c.issuerDid(), c.subjectDid(), c.allowedActions(), c.notBefore(),
                c.notAfter() + 1, c.signature()));
        for (Credential t : tampered) {
            assertTrue(t.problemFor(subject.did(), trusted, NOW).orElseThrow().contains("invalid issuer signature"),
                    t.toString());
            assertNotEquals(credential, t);
        }
        // Re-pointing the subject fails the signature too (checked against the new subject).
        SwarmKeyPair other = Ed25519.generate();
        Credential stolen = new Credential(c.id(), c.issuerDid(), other.did().value(), c.allowedActions(),
                c.notBefore(), c.notAfter(), c.signature());
        assertTrue(stolen.problemFor(other.did(), trusted, NOW).orElseThrow().contains("invalid issuer signature"));
    }

    @Test
    void itIsImmutableAndSurvivesKryo() {
        byte[] signature = credential.signature();
        signature[0] ^= 1;
        assertEquals(Optional.empty(), credential.problemFor(subject.did(), trusted, NOW));
        assertThrows(UnsupportedOperationException.class, () -> credential.allowedActions().add("x"));
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        Credential copy = (Credential) kryo.fromBytes(kryo.toBytes(credential));
        assertEquals(credential, copy);
        assertEquals(credential.hashCode(), copy.hashCode());
        assertEquals(Optional.empty(), copy.problemFor(subject.did(), trusted, NOW));
    }
}
