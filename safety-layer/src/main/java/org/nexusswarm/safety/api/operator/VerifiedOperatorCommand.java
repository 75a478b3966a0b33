package org.nexusswarm.safety.api.operator;

import java.time.Instant;
import java.util.Map;

/**
 * An operator command whose token passed the {@link OperatorTokenVerifier}: signature, admitted issuer, kind and
 * time. Only this package constructs one, so a service that takes it cannot be handed an unchecked command.
 * Whether its nonce was fresh is the {@link OperatorCommandAuthenticator}'s business (the services get it from
 * there). The body is flat: string and boolean values only.
 */
public final class VerifiedOperatorCommand {

    private final OperatorCommandKind kind;
    private final String issuerDid;
    private final String operator;
    private final String jti;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Map<String, Object> body;
    private final String token;

    VerifiedOperatorCommand(OperatorCommandKind kind, String issuerDid, String operator, String jti, Instant issuedAt,
            Instant expiresAt, Map<String, Object> body, String token) {
        this.kind = kind;
        this.issuerDid = issuerDid;
        this.operator = operator;
        this.jti = jti;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.body = Map.copyOf(body);
        this.token = token;
    }

    public OperatorCommandKind kind() {
        return kind;
    }

    /** The signing operator's DID (the {@code iss} claim). */
    public String issuerDid() {
        return issuerDid;
    }

    /** The name the issuer is admitted under ({@code operator:...}), for journals and answers. */
    public String operator() {
        return operator;
    }

    /** The nonce. */
    public String jti() {
        return jti;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** The compact JWS itself, so the command can be forwarded (e.g. to a supervisor) and checked again there. */
    public String token() {
        return token;
    }

    /** A required, non-blank string field of the body; refused as {@code MALFORMED} otherwise. */
    public String text(String field) {
        Object v = body.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, "the " + kind.claim()
                    + " command needs a non-blank string '" + field + "'");
        }
        return s;
    }

    /** An optional string field ({@code ""} when absent). */
    public String optionalText(String field) {
        Object v = body.get(field);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, "'" + field + "' must be a string");
        }
        return s;
    }

    /** A required boolean field. */
    public boolean flag(String field) {
        if (!(body.get(field) instanceof Boolean b)) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, "the " + kind.claim()
                    + " command needs a boolean '" + field + "'");
        }
        return b;
    }

    @Override
    public String toString() {
        return "VerifiedOperatorCommand(" + kind.claim() + " by " + operator + ", jti " + jti + ")";
    }
}
