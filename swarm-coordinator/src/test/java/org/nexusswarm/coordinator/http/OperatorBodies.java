package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import org.nexusswarm.safety.api.operator.OperatorTokens;

/**
 * Request bodies {@code {"token"}} of signed operator commands, genuine and forged, for the route tests. The test
 * nodes are configured as the swarm {@value #AUDIENCE}, the audience the CLI also mints for by default.
 */
public final class OperatorBodies {

    public static final String AUDIENCE = OperatorCommandSettings.DEFAULT_AUDIENCE;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorBodies() {}

    public static ObjectNode body(String token) {
        return JSON.createObjectNode().put("token", token);
    }

    public static ObjectNode signed(SwarmKeyPair keys, OperatorCommandKind kind, Map<String, Object> body) {
        return body(OperatorTokens.sign(keys, AUDIENCE, kind, body));
    }

    public static ObjectNode kill(SwarmKeyPair keys, KillTarget target, String reason) {
        return signed(keys, OperatorCommandKind.KILL, OperatorTokens.body("scope", target.scope().name(), "name",
                target.name(), "reason", reason));
    }

    public static ObjectNode liftRequest(SwarmKeyPair keys, KillTarget target, String reason) {
        return signed(keys, OperatorCommandKind.LIFT_REQUEST, OperatorTokens.body("scope", target.scope().name(),
                "name", target.name(), "reason", reason));
    }

    public static ObjectNode lift(SwarmKeyPair keys, String approvalId) {
        return signed(keys, OperatorCommandKind.LIFT, OperatorTokens.body("approvalId", approvalId));
    }

    public static ObjectNode revoke(SwarmKeyPair keys, String credentialId, String reason) {
        return signed(keys, OperatorCommandKind.REVOKE, OperatorTokens.body("credentialId", credentialId,
                "reason", reason));
    }

    /** A command that claims {@code claimed} as its issuer but is signed with {@code signer}'s key. */
    public static ObjectNode forged(SwarmKeyPair signer, SwarmKeyPair claimed, OperatorCommandKind kind,
            Map<String, Object> body) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(claimed.did().value()).audience(AUDIENCE)
                .claim(OperatorTokens.KIND_CLAIM, kind.claim()).claim(OperatorTokens.BODY_CLAIM, body)
                .jwtID(OperatorTokens.newJti()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .build();
        return body(OperatorTokens.sign(signer, new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(OperatorTokens.TYPE)).build(), claims));
    }
}
