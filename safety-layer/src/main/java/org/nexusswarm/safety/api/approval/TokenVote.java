package org.nexusswarm.safety.api.approval;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;

/**
 * A vote cast as a signed operator command (kind {@code vote}, body {@code {approvalId, approve, comment}}),
 * journaled by the approval request with the command verbatim. {@link #signatureValid()} checks the signature and
 * that the command says what the fields say, but not its expiry: a journal is re-verified long after.
 *
 * @param issuedAtMillis the command's {@code iat}, used as the vote's nonce
 * @param token          the compact JWS, verbatim
 */
public record TokenVote(String approvalId, String approverDid, boolean approve, String comment, String jti,
        long issuedAtMillis, String token) implements Vote, SwarmMessage {

    public TokenVote {
        comment = comment == null ? "" : comment;
    }

    /** The vote a verified command casts. */
    public static TokenVote of(VerifiedOperatorCommand cmd) {
        return new TokenVote(cmd.text("approvalId"), cmd.issuerDid(), cmd.flag("approve"), cmd.optionalText("comment"),
                cmd.jti(), cmd.issuedAt().toEpochMilli(), cmd.token());
    }

    @Override
    public long nonce() {
        return issuedAtMillis;
    }

    @Override
    public boolean signatureValid() {
        Optional<JWTClaimsSet> claims = OperatorTokenVerifier.signedClaims(token);
        if (claims.isEmpty()) {
            return false;
        }
        JWTClaimsSet c = claims.get();
        try {
            Map<String, Object> body = c.getJSONObjectClaim(OperatorTokens.BODY_CLAIM);
            return body != null && approverDid.equals(c.getIssuer()) && jti.equals(c.getJWTID())
                    && OperatorCommandKind.VOTE.claim().equals(c.getStringClaim(OperatorTokens.KIND_CLAIM))
                    && approvalId.equals(body.get("approvalId")) && Boolean.valueOf(approve).equals(body.get("approve"))
                    && comment.equals(Objects.requireNonNullElse(body.get("comment"), ""))
                    && c.getIssueTime() != null && c.getIssueTime().getTime() == issuedAtMillis;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /**
     * True when the signed token names exactly {@code audience} as its {@code aud} (the swarm it was cast in).
     * Tokens of versions before the audience claim name none.
     */
    public boolean isFor(String audience) {
        return OperatorTokenVerifier.signedClaims(token)
                .map(c -> c.getAudience().size() == 1 && c.getAudience().get(0).equals(audience)).orElse(false);
    }

    @Override
    public String replayKey() {
        return "jti:" + jti;
    }

    @Override
    public String toString() {
        return "TokenVote(" + approvalId + ", " + approverDid + ", " + (approve ? "approve" : "deny") + ", jti " + jti
                + ")";
    }
}
