package org.nexusswarm.safety.api.operator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;
import org.nexusswarm.actors.identity.Ed25519;

/**
 * A nimbus {@link JWSVerifier} for {@code alg = EdDSA} against one raw Ed25519 public key, on Bouncy Castle
 * (nimbus' own {@code Ed25519Verifier} needs Tink). Any other algorithm in the header fails verification, so a
 * token that says {@code HS256} (keyed with the public key) or {@code none} never verifies.
 */
final class Ed25519JwsVerifier implements JWSVerifier {

    private final byte[] publicKey;
    private final JCAContext jca = new JCAContext();

    Ed25519JwsVerifier(byte[] publicKey) {
        this.publicKey = publicKey.clone();
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            return false;
        }
        return Ed25519.verify(publicKey, signingInput, signature.decode());
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
