package org.nexusswarm.safety.api.operator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * The one format of a signed operator command: a compact JWS (RFC 7515) with {@code alg = EdDSA} (Ed25519),
 * header {@code typ} = {@value #TYPE} (the domain tag), and claims {@code iss} (the operator's DID), {@code aud}
 * (the one swarm the command is for, {@link OperatorCommandSettings#audience()}), {@code kind}
 * ({@link OperatorCommandKind#claim()}), {@code cmd} (the command's flat JSON body), {@code jti} (a random nonce),
 * {@code iat} and {@code exp} (seconds). The CLI signs with this class; anyone else can produce the same token
 * with any JOSE library and the operator's Ed25519 key.
 */
public final class OperatorTokens {

    /** The JWS {@code typ}: a token of any other type is refused, whatever it says. */
    public static final String TYPE = "nexus-op+jwt";
    public static final String KIND_CLAIM = "kind";
    public static final String BODY_CLAIM = "cmd";
    /** How long the CLI's tokens live by default: enough to reach a node, short enough to be useless when captured. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private OperatorTokens() {}

    /**
     * A token for {@code kind} with {@code body}, for the swarm named {@code audience}, issued now and living
     * {@link #DEFAULT_LIFETIME}.
     */
    public static String sign(SwarmKeyPair operator, String audience, OperatorCommandKind kind, Map<String, ?> body) {
        return sign(operator, audience, kind, body, Instant.now(), DEFAULT_LIFETIME, newJti());
    }

    /** A token with every claim given (tests use it to forge times and nonces). */
    public static String sign(SwarmKeyPair operator, String audience, OperatorCommandKind kind, Map<String, ?> body,
            Instant issuedAt, Duration lifetime, String jti) {
        Instant iat = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(operator.did().value())
                .audience(audience)
                .claim(KIND_CLAIM, kind.claim())
                .claim(BODY_CLAIM, new LinkedHashMap<>(body))
                .jwtID(jti)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(iat.plus(lifetime)))
                .build();
        return sign(operator, new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType(TYPE)).build(), claims);
    }

    /** Signs any header and claims (tests build wrong types and extra fields with it). */
    public static String sign(SwarmKeyPair operator, JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new Ed25519JwsSigner(operator));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign the operator command: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** 128 random bits, base64url: the {@code jti}. */
    public static String newJti() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A body from alternating keys and values (strings or booleans), insertion-ordered. */
    public static Map<String, Object> body(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }
}
