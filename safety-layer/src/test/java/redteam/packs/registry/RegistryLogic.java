package redteam.packs.registry;

import org.nexusswarm.safety.api.registry.SafetyRegistry;

/** Red team: asks the node's registry for another entity's key material. */
public final class RegistryLogic {
    public Object step(Object system) {
        return SafetyRegistry.class.getName();
    }
}
