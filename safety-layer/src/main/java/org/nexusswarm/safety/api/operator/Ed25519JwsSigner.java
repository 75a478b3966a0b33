package org.nexusswarm.safety.api.operator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * A nimbus {@link JWSSigner} for {@code alg = EdDSA} over the operator's {@link SwarmKeyPair}.
 *
 * <p>Why not nimbus' own {@code Ed25519Signer}: it needs Google Tink (an optional dependency we do not ship), while
 * this codebase already signs Ed25519 with Bouncy Castle; so nimbus parses and serialises, and the key pair signs.
 */
final class Ed25519JwsSigner implements JWSSigner {

    private final SwarmKeyPair keys;
    private final JCAContext jca = new JCAContext();

    Ed25519JwsSigner(SwarmKeyPair keys) {
        this.keys = keys;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("only EdDSA is signed here, not " + header.getAlgorithm());
        }
        return Base64URL.encode(keys.sign(signingInput));
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
