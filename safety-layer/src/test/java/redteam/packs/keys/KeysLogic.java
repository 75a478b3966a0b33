package redteam.packs.keys;

import org.nexusswarm.actors.identity.SwarmKeyPair;

/** Red team: signs as someone else with a key it was handed. */
public final class KeysLogic {
    public byte[] step(SwarmKeyPair stolen, byte[] message) {
        return stolen.sign(message);
    }

    public java.security.PrivateKey keep(java.security.PrivateKey k) {
        return k;
    }
}
