package org.nexusswarm.safety.api.operator;

/**
 * Why an operator command was refused: by the authenticator (the token) or by the service that carries it out
 * (the state of the swarm). Unchecked, so it travels as the failure of a {@code CompletionStage}; the edges map
 * {@link Code#category()} to a status and print {@link Code} and {@link #detail()}.
 */
public final class OperatorCommandRefused extends RuntimeException {

    /** How an edge should treat a refusal (an HTTP route: 400, 413, 403, 404, 409, 503). */
    public enum Category { MALFORMED, TOO_LARGE, FORBIDDEN, NOT_FOUND, CONFLICT, UNAVAILABLE }

    /** Stable names: edges print them and tests match them. */
    public enum Code {
        /** The token is longer than the kind allows (checked before parsing). */
        OVERSIZED(Category.TOO_LARGE),
        /** Not a compact JWS, a missing or mistyped claim, or a body the command does not accept. */
        MALFORMED(Category.MALFORMED),
        /** The header's {@code alg} is not {@code EdDSA} ({@code none}, {@code HS256}, ...). */
        WRONG_ALGORITHM(Category.FORBIDDEN),
        /** The header's {@code typ} is not the operator-command domain tag. */
        WRONG_TYPE(Category.FORBIDDEN),
        /** The {@code kind} claim is not the kind this service carries out. */
        WRONG_KIND(Category.FORBIDDEN),
        /** The issuer is not admitted on this node as an operator. */
        UNKNOWN_OPERATOR(Category.FORBIDDEN),
        /** The signature does not verify against the issuer's key. */
        BAD_SIGNATURE(Category.FORBIDDEN),
        /** The token's {@code exp} has passed (beyond the allowed clock skew). */
        EXPIRED(Category.FORBIDDEN),
        /** The token was issued in the future (beyond the allowed clock skew). */
        NOT_YET_VALID(Category.FORBIDDEN),
        /** {@code exp - iat} exceeds the configured maximum lifetime. */
        LIFETIME_TOO_LONG(Category.FORBIDDEN),
        /** The token's {@code jti} was already used (the replay guard is journaled). */
        REPLAYED(Category.FORBIDDEN),
        /** The token names no audience ({@code aud}) or another swarm's: it was minted for another cluster. */
        WRONG_AUDIENCE(Category.FORBIDDEN),
        /**
         * A command in a retired signed format (the earlier signed-bytes vote or policy change) reached a service
         * that now accepts only signed operator commands.
         */
        LEGACY_FORMAT(Category.FORBIDDEN),
        /** The command is addressed to another entity or target. */
        WRONG_TARGET(Category.FORBIDDEN),
        /** The kill switch is not engaged for the target of a lift request. */
        NOT_ENGAGED(Category.CONFLICT),
        /** No policy rule names approvers for a lift (fail closed). */
        NO_APPROVERS(Category.CONFLICT),
        /** The approval request could not be opened. */
        APPROVAL_REFUSED(Category.CONFLICT),
        /** No approval request under that id. */
        UNKNOWN_APPROVAL(Category.NOT_FOUND),
        /** The approval is not a kill-switch lift. */
        NOT_A_LIFT(Category.CONFLICT),
        /** The approval is still pending. */
        AWAITS_APPROVAL(Category.CONFLICT),
        /** The approvers rejected it. */
        REJECTED(Category.CONFLICT),
        /** The approval is too far past its deadline to apply. */
        APPROVAL_EXPIRED(Category.CONFLICT),
        /** The approval was already applied. */
        ALREADY_USED(Category.CONFLICT),
        /** The command is well-formed but what it asks for is refused (e.g. a policy that does not parse). */
        INVALID(Category.MALFORMED),
        /** The store that carries the command out refused who sent it. */
        FORBIDDEN(Category.FORBIDDEN),
        /** A store or the replay guard did not answer. */
        UNAVAILABLE(Category.UNAVAILABLE);

        private final Category category;

        Code(Category category) {
            this.category = category;
        }

        public Category category() {
            return category;
        }
    }

    private final Code code;
    private final String detail;

    public OperatorCommandRefused(Code code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
        this.detail = detail;
    }

    public Code code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    /** The refusal inside a failed stage, if that is what failed it. */
    public static java.util.Optional<OperatorCommandRefused> in(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < 4; i++, t = t.getCause()) {
            if (t instanceof OperatorCommandRefused r) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
