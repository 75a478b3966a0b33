package org.nexusswarm.safety.api.operator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;

/**
 * The stateless half of authenticating an operator command: everything but the replay guard. A supervisor uses
 * it to check a command forwarded to it through sharding (its nonce was already spent at the edge); the edges go
 * through {@link OperatorCommandAuthenticator}, which adds the journaled replay guard.
 *
 * <p>Checks, cheapest first: length (before any parsing), JSON nesting of header and payload (so no parser
 * recursion can be provoked), a compact JWS with {@code alg = EdDSA} and {@code typ} = {@value OperatorTokens#TYPE}
 * and no other header field but {@code kid}; the issuer admitted as {@code operator:...} (for votes: any Nexus DID,
 * the approval request checks it is an approver); the signature against the issuer's key; the expected kind; the
 * audience ({@code aud}: exactly this swarm's, so a token minted for another swarm trusting the same key is
 * refused); the {@code jti}; {@code iat}/{@code exp} against the clock, the skew and the maximum lifetime; a flat body.
 */
public final class OperatorTokenVerifier {

    public static final String OPERATOR_PREFIX = "operator:";
    private static final Pattern JTI = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ", "kid");
    private static final Set<String> CLAIMS = Set.of("iss", "aud", "kind", "cmd", "jti", "iat", "exp", "nbf");
    private static final int MAX_NESTING = 3;
    private static final int MAX_BODY_FIELDS = 16;

    private final IdentityDirectory identities;
    private final Clock clock;
    private final OperatorCommandSettings settings;

    public OperatorTokenVerifier(IdentityDirectory identities, Clock clock, OperatorCommandSettings settings) {
        this.identities = identities;
        this.clock = clock;
        this.settings = settings;
    }

    public OperatorCommandSettings settings() {
        return settings;
    }

    /** The verified command, or throws {@link OperatorCommandRefused} saying why not. */
    public VerifiedOperatorCommand verify(String token, OperatorCommandKind expected) {
        if (token == null || token.isEmpty()) {
            throw refused(Code.MALFORMED, "no token");
        }
        int max = settings.maxCharsFor(expected);
        if (token.length() > max) {
            throw refused(Code.OVERSIZED, "the token has " + token.length() + " characters, at most " + max
                    + " are accepted for a " + expected.claim() + " command");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw refused(Code.MALFORMED, "not a compact JWS (header.payload.signature)");
        }
        checkNesting(parts[0], "header");
        checkNesting(parts[1], "payload");
        checkHeader(parts[0]);
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw refused(Code.MALFORMED, "not a compact JWS: " + clip(String.valueOf(e.getMessage())));
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw refused(Code.WRONG_ALGORITHM, "alg must be EdDSA, not " + header.getAlgorithm());
        }
        if (!new JOSEObjectType(OperatorTokens.TYPE).equals(header.getType())) {
            throw refused(Code.WRONG_TYPE, "typ must be " + OperatorTokens.TYPE + ", not " + header.getType());
        }
        for (String field : header.getIncludedParams()) {
            if (!HEADER_FIELDS.contains(field)) {
                throw refused(Code.MALFORMED, "header field '" + clip(field) + "' is not accepted");
            }
        }
        for (String claim : claims.getClaims().keySet()) {
            if (!CLAIMS.contains(claim)) {
                throw refused(Code.MALFORMED, "claim '" + clip(claim) + "' is not accepted");
            }
        }
        String issuer = claims.getIssuer();
        if (issuer == null || !issuer.startsWith(Did.PREFIX)) {
            throw refused(Code.MALFORMED, "iss must be the operator's DID");
        }
        byte[] publicKey;
        try {
            publicKey = new Did(issuer).publicKey();
        } catch (IllegalArgumentException e) {
            throw refused(Code.MALFORMED, "iss is not a valid DID");
        }
        String operator = admitted(issuer, expected);
        if (!verifies(jwt, publicKey)) {
            throw refused(Code.BAD_SIGNATURE, "the signature does not verify against " + operator);
        }
        String kind = text(claims, OperatorTokens.KIND_CLAIM);
        if (!expected.claim().equals(kind)) {
            throw refused(Code.WRONG_KIND, "this is a '" + clip(kind) + "' token; a '" + expected.claim()
                    + "' command was expected");
        }
        checkAudience(claims);
        String jti = claims.getJWTID();
        if (jti == null || !JTI.matcher(jti).matches()) {
            throw refused(Code.MALFORMED, "jti must be 16-128 characters of A-Z a-z 0-9 _ -");
        }
        Instant[] window = window(claims);
        Map<String, Object> body = body(claims);
        return new VerifiedOperatorCommand(expected, issuer, operator, jti, window[0], window[1], body, token);
    }

    private String admitted(String issuer, OperatorCommandKind expected) {
        Optional<IdentityDirectory.Principal> principal = identities.lookup(issuer);
        if (expected == OperatorCommandKind.VOTE) {
            // Approvers are named by policy, not admitted as operators; the approval request checks membership.
            return principal.map(IdentityDirectory.Principal::name).orElse(new Did(issuer).shortForm());
        }
        if (principal.isEmpty() || !principal.get().name().startsWith(OPERATOR_PREFIX)) {
            throw refused(Code.UNKNOWN_OPERATOR, new Did(issuer).shortForm()
                    + " is not admitted on this node as an operator");
        }
        return principal.get().name();
    }

    private static boolean verifies(SignedJWT jwt, byte[] publicKey) {
        try {
            return jwt.verify(new Ed25519JwsVerifier(publicKey));
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    private void checkAudience(JWTClaimsSet claims) {
        java.util.List<String> audience = claims.getAudience();
        if (audience.isEmpty()) {
            throw refused(Code.WRONG_AUDIENCE, "the token names no audience (aud); sign it for swarm '"
                    + settings.audience() + "'");
        }
        if (audience.size() != 1 || !settings.audience().equals(audience.get(0))) {
            throw refused(Code.WRONG_AUDIENCE, "the token is for " + clip(String.join(", ", audience))
                    + ", not for swarm '" + settings.audience() + "'");
        }
    }

    private Instant[] window(JWTClaimsSet claims) {
        Date iatDate = claims.getIssueTime();
        Date expDate = claims.getExpirationTime();
        if (iatDate == null || expDate == null) {
            throw refused(Code.MALFORMED, "iat and exp are required");
        }
        Instant iat = iatDate.toInstant();
        Instant exp = expDate.toInstant();
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        if (!exp.isAfter(iat)) {
            throw refused(Code.MALFORMED, "exp must be after iat");
        }
        if (Duration.between(iat, exp).compareTo(settings.maxLifetime()) > 0) {
            throw refused(Code.LIFETIME_TOO_LONG, "the token lives " + Duration.between(iat, exp).toSeconds()
                    + " s; at most " + settings.maxLifetime().toSeconds() + " s are accepted");
        }
        if (iat.isAfter(now.plus(skew))) {
            throw refused(Code.NOT_YET_VALID, "issued at " + iat + ", in the future (check the operator's clock)");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            throw refused(Code.NOT_YET_VALID, "not valid before " + nbf.toInstant());
        }
        if (!now.isBefore(exp.plus(skew))) {
            throw refused(Code.EXPIRED, "expired at " + exp + "; sign a fresh command");
        }
        return new Instant[] {iat, exp};
    }

    private static Map<String, Object> body(JWTClaimsSet claims) {
        Map<String, Object> body;
        try {
            body = claims.getJSONObjectClaim(OperatorTokens.BODY_CLAIM);
        } catch (ParseException e) {
            throw refused(Code.MALFORMED, "cmd must be a JSON object");
        }
        if (body == null) {
            throw refused(Code.MALFORMED, "cmd (the command body) is required");
        }
        if (body.size() > MAX_BODY_FIELDS) {
            throw refused(Code.MALFORMED, "cmd has more than " + MAX_BODY_FIELDS + " fields");
        }
        for (Map.Entry<String, Object> e : body.entrySet()) {
            if (!(e.getValue() instanceof String) && !(e.getValue() instanceof Boolean)) {
                throw refused(Code.MALFORMED, "cmd." + clip(e.getKey()) + " must be a string or a boolean");
            }
        }
        return body;
    }

    private static String text(JWTClaimsSet claims, String name) {
        try {
            String v = claims.getStringClaim(name);
            if (v == null) {
                throw refused(Code.MALFORMED, name + " is required");
            }
            return v;
        } catch (ParseException e) {
            throw refused(Code.MALFORMED, name + " must be a string");
        }
    }

    /**
     * The claims of a token whose header is {@code EdDSA} / {@value OperatorTokens#TYPE} and whose signature
     * verifies against its own issuer's DID; nothing about admission, kind or time. For re-verifying journaled
     * commands (votes, policy changes) long after they expired.
     */
    public static Optional<JWTClaimsSet> signedClaims(String token) {
        try {
            if (token == null || token.length() > OperatorCommandSettings.DEFAULTS.maxPolicyTokenChars()) {
                return Optional.empty();
            }
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                return Optional.empty();
            }
            checkNesting(parts[0], "header");
            checkNesting(parts[1], "payload");
            checkHeader(parts[0]);
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String issuer = claims.getIssuer();
            if (issuer == null || !issuer.startsWith(Did.PREFIX) || !verifies(jwt, new Did(issuer).publicKey())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The algorithm and type, read before nimbus parses the header (it refuses {@code none} with no reason). */
    private static void checkHeader(String part) {
        Map<String, Object> header;
        try {
            header = JSONObjectUtils.parse(new String(new Base64URL(part).decode(), StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw refused(Code.MALFORMED, "the header is not a JSON object");
        }
        Object alg = header.get("alg");
        if (!JWSAlgorithm.EdDSA.getName().equals(alg)) {
            throw refused(Code.WRONG_ALGORITHM, "alg must be EdDSA, not " + clip(String.valueOf(alg)));
        }
        Object typ = header.get("typ");
        if (!OperatorTokens.TYPE.equals(typ)) {
            throw refused(Code.WRONG_TYPE, "typ must be " + OperatorTokens.TYPE + ", not " + clip(String.valueOf(typ)));
        }
    }

    /** Refuses JSON nested deeper than {@value #MAX_NESTING}, before a parser could recurse on it. */
    private static void checkNesting(String part, String what) {
        byte[] json;
        try {
            json = new Base64URL(part).decode();
        } catch (RuntimeException e) {
            throw refused(Code.MALFORMED, "the " + what + " is not base64url");
        }
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            char c = (char) (b & 0xff);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_NESTING) {
                    throw refused(Code.MALFORMED, "the " + what + " nests deeper than " + MAX_NESTING);
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        if (json.length > 0 && new String(json, 0, 1, StandardCharsets.US_ASCII).charAt(0) != '{') {
            throw refused(Code.MALFORMED, "the " + what + " is not a JSON object");
        }
    }

    private static OperatorCommandRefused refused(Code code, String detail) {
        return new OperatorCommandRefused(code, detail);
    }

    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
