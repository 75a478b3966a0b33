package org.acme.replaycli.loop;

import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/** An admissible pack whose logic's step never returns; registered only through a test's class loader. */
public final class LoopPack implements Pack {

    public static final String NAME = "loop-replay";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "loops";
    }

    @Override
    public List<String> railNames() {
        return List.of();
    }

    @Override
    public RailBlueprint rail(String railName, RailOptions options) {
        throw new IllegalArgumentException(railName);
    }

    @Override
    public Optional<AgentLogic<?>> logic(String version) {
        return LoopLogic.VERSION.equals(version) ? Optional.of(new LoopLogic()) : Optional.empty();
    }
}
