package org.nexusswarm.safety.api.registry;

import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.safety.api.credential.Credential;

/**
 * Everything a safety supervisor needs to host one deployed entity: where it acts, the rail and pack it
 * belongs to (whose policy and kill switches apply), the signer it signs its outbound messages with (a handle:
 * the key stays inside it, since specs are reachable from any code holding the actor system), its credential, and
 * the logic it spawns as its child.
 */
public record EntitySpec(EntityAddress address, String place, String rail, String pack, EntitySigner signer,
        Credential credential, AgentLogic<?> logic) {

    /** A spec whose key pair is sealed into a signer here; the key pair itself is not kept. */
    public EntitySpec(EntityAddress address, String place, String rail, String pack, SwarmKeyPair keys,
            Credential credential, AgentLogic<?> logic) {
        this(address, place, rail, pack, EntitySigner.of(keys), credential, logic);
    }

    /** A spec outside any rail or pack (tests, tools). */
    public EntitySpec(EntityAddress address, String place, SwarmKeyPair keys, Credential credential,
            AgentLogic<?> logic) {
        this(address, place, "none", "none", keys, credential, logic);
    }
}
