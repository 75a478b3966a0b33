package org.nexusswarm.packs;

import java.util.List;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.AgentLogic;

/**
 * One entity of a rail: where it lives, what it is, what its credential lets it do, and its logic.
 *
 * @param place          region or cell id handed to the logic
 * @param role           a label for operators and policies, e.g. {@code agent}, {@code rogue-agent}
 * @param allowedActions action classes the entity's credential grants; anything else is denied
 */
public record EntityBlueprint(EntityAddress address, String place, String role, List<String> allowedActions,
                              AgentLogic<?> logic) {

    public EntityBlueprint {
        if (address == null || place == null || role == null || logic == null) {
            throw new IllegalArgumentException("address, place, role and logic are required");
        }
        allowedActions = List.copyOf(allowedActions == null ? List.of() : allowedActions);
    }

    public boolean allows(String actionClass) {
        return allowedActions.contains(actionClass);
    }
}
