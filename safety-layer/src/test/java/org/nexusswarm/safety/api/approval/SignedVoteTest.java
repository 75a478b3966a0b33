package org.nexusswarm.safety.api.approval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/** The vote's canonical signed form: every field is covered, and the record cannot be changed from outside. */
class SignedVoteTest {

    private final SwarmKeyPair keys = Ed25519.generate();
    private final SignedVote vote = SignedVote.sign(keys, "approval-1", true, 42, "ok");

    @Test
    void aSignedVoteVerifiesAgainstItsApproversDid() {
        assertTrue(vote.signatureValid());
        assertEquals(keys.did().value(), vote.approverDid());
        assertEquals(Ed25519.SIGNATURE_BYTES, vote.signature().length);
    }

    @Test
    void changingAnyFieldBreaksTheSignature() {
        byte[] sig = vote.signature();
        String did = vote.approverDid();
        for (SignedVote changed : List.of(
                new SignedVote("approval-2", did, true, 42, "ok", sig),
                new SignedVote("approval-1", Ed25519.generate().did().value(), true, 42, "ok", sig),
                new SignedVote("approval-1", did, false, 42, "ok", sig),
                new SignedVote("approval-1", did, true, 43, "ok", sig),
                new SignedVote("approval-1", did, true, 42, "ok!", sig))) {
            assertFalse(changed.signatureValid(), changed.toString());
        }
    }

    @Test
    void nonDidsAndJunkSignaturesDoNotVerify() {
        assertFalse(new SignedVote("a", "bob", true, 1, "", vote.signature()).signatureValid());
        assertFalse(new SignedVote("a", null, true, 1, "", vote.signature()).signatureValid());
        assertFalse(new SignedVote("a", "did:nexus:!!!", true, 1, "", vote.signature()).signatureValid());
        assertFalse(vote.withSignature(new byte[3]).signatureValid());
        assertFalse(vote.withSignature(null).signatureValid());
    }

    @Test
    void fieldBoundariesAreUnambiguous() {
        // Length-prefixed fields: moving characters between the id and the comment changes the signed bytes.
        SignedVote a = new SignedVote("ab", "did:nexus:x", true, 1, "c", null);
        SignedVote b = new SignedVote("a", "did:nexus:x", true, 1, "bc", null);
        assertFalse(java.util.Arrays.equals(a.signedBytes(), b.signedBytes()));
    }

    @Test
    void theSignatureIsCopiedInAndOut() {
        byte[] sig = vote.signature();
        SignedVote copy = vote.withSignature(sig);
        sig[0] ^= 1;
        assertTrue(copy.signatureValid());
        copy.signature()[0] ^= 1;
        assertTrue(copy.signatureValid());
        assertEquals(vote, copy);
        assertEquals(vote.hashCode(), copy.hashCode());
        assertNotEquals(vote, vote.withSignature(sig));
        assertArrayEquals(vote.signature(), copy.signature());
        assertEquals("", new SignedVote("a", "b", true, 1, null, null).comment());
    }
}
