package org.nexusswarm.safety.internal.operator;

import org.nexusswarm.safety.api.operator.OperatorNonces;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.safety.internal.approval.ApprovalProof;
import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.SignedVote;
import org.nexusswarm.safety.api.approval.TokenVote;
import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.PolicyChangedSigned;

/**
 * The stored records of signed operator commands, as bytes (format-k2-operator/, written by the build that
 * introduced them): the JWS-carrying forms read back and re-verify long after their tokens expired, and the
 * earlier signed-bytes forms (SignedVote 397, PolicyChange 375, layouts unchanged) still read and verify.
 */
class OperatorStoredFormatTest {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();

    @Test
    void theEarlierVoteAndPolicyChangeFormsStillReadAndVerify() throws IOException {
        SignedVote vote = (SignedVote) KRYO.fromBytes(fixture("signed-vote.b64"));
        assertEquals("node:kill-switch:lift-1", vote.approvalId());
        assertTrue(vote.approve());
        assertEquals(1700000000000000L, vote.nonce());
        assertTrue(vote.signatureValid());
        PolicyChange change = (PolicyChange) KRYO.fromBytes(fixture("policy-change.b64"));
        assertEquals("rail:drought-watch", change.scope());
        assertTrue(org.nexusswarm.actors.identity.Ed25519.verify(
                new org.nexusswarm.actors.identity.Did(change.operatorDid()).publicKey(), change.signedBytes(),
                change.signature()));
    }

    @Test
    void aJournaledTokenVoteReadsBackAndReVerifiesAfterItsTokenExpired() throws IOException {
        TokenVote vote = (TokenVote) KRYO.fromBytes(fixture("token-vote.b64"));
        assertEquals("node:kill-switch:lift-2", vote.approvalId());
        assertFalse(vote.approve());
        assertEquals("no", vote.comment());
        assertTrue(vote.signatureValid(), "re-verifiable from the journal alone, expiry aside");
        // A journaled vote whose fields were edited no longer verifies.
        TokenVote edited = new TokenVote(vote.approvalId(), vote.approverDid(), true, vote.comment(), vote.jti(),
                vote.issuedAtMillis(), vote.token());
        assertFalse(edited.signatureValid());
        TokenVote otherRequest = new TokenVote("node:kill-switch:lift-3", vote.approverDid(), false, vote.comment(),
                vote.jti(), vote.issuedAtMillis(), vote.token());
        assertFalse(otherRequest.signatureValid());
        // It was cast before tokens named their swarm, so it no longer proves a decision to a supervisor (an
        // approval in flight across the upgrade times out: fail closed), nor does an edited one.
        ApprovalRequirement one = new ApprovalRequirement(ApprovalRequirement.Kind.QUORUM, 1,
                java.util.List.of(vote.approverDid()), java.time.Duration.ofMinutes(1));
        assertFalse(vote.isFor(org.nexusswarm.safety.api.operator.OperatorCommandSettings.DEFAULT_AUDIENCE));
        var proof = new ApprovalProof(new ApprovalDecided(vote.approvalId(), false, "denied", java.util.List.of(
                vote.approverDid())), "s", java.util.List.of(vote));
        assertTrue(ApprovalProof.verified(proof.verify(vote.approvalId(), one, null, Long.MAX_VALUE, 0,
                org.nexusswarm.safety.api.operator.OperatorCommandSettings.DEFAULT_AUDIENCE)).isEmpty());
        var forged = new ApprovalProof(new ApprovalDecided(vote.approvalId(), true, "approved", java.util.List.of(
                vote.approverDid())), "s", java.util.List.of(edited));
        assertTrue(ApprovalProof.verified(forged.verify(vote.approvalId(), one, null, Long.MAX_VALUE, 0,
                org.nexusswarm.safety.api.operator.OperatorCommandSettings.DEFAULT_AUDIENCE)).isEmpty());
    }

    @Test
    void aJournaledPolicyCommandReadsBackAndItsTokenStillVerifies() throws IOException {
        PolicyChangedSigned changed = (PolicyChangedSigned) KRYO.fromBytes(fixture("policy-changed-signed.b64"));
        assertEquals(2, changed.version());
        assertEquals("rail:drought-watch", changed.scope());
        var claims = OperatorTokenVerifier.signedClaims(changed.token());
        assertTrue(claims.isPresent());
        assertEquals(changed.operatorDid(), claims.get().getIssuer());
        assertEquals(changed.jti(), claims.get().getJWTID());
        String[] parts = changed.token().split("\\.");
        assertEquals(Optional.empty(), OperatorTokenVerifier.signedClaims(parts[0] + "." + parts[1] + ".AAAA"));
    }

    @Test
    void theReplayGuardsJournalAndSnapshotReadBack() throws IOException {
        OperatorNonces.Claimed claimed = (OperatorNonces.Claimed) KRYO.fromBytes(fixture("nonce-claimed.b64"));
        assertEquals("fixture-jti-00000001", claimed.jti());
        assertEquals(1796277720000L, claimed.expiresAtMillis());
        OperatorNonces.State state = (OperatorNonces.State) KRYO.fromBytes(fixture("nonce-state.b64"));
        assertEquals(Map.of("fixture-jti-00000001", 1796277720000L), state.used());
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = OperatorStoredFormatTest.class.getResourceAsStream("/format-k2-operator/" + name)) {
            return Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
