package org.nexusswarm.safety.api.replay;

import java.util.Optional;
import org.nexusswarm.actors.spi.AgentLogic;

/** Finds the logic a journal records, by the pack its {@code Started} names and the logic version. */
@FunctionalInterface
public interface LogicCatalog {

    /**
     * The logic of {@code version} from pack {@code pack} ("" when the journal names none), empty when no pack
     * rebuilds it. May throw to end the replay (a pack refused at admission).
     */
    Optional<AgentLogic<?>> logic(String pack, String version);
}
