package org.acme.replaytest.refused;

import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/**
 * A pack the bytecode check refuses ({@code System.exit}); its static initialiser leaves a mark, so a test can
 * tell whether anything of it ran. Registered only through a test's own class loader.
 */
public final class RefusedPack implements Pack {

    public static final String NAME = "refused-replay";
    public static final String MARK = "replaytest.refused.initialised";

    static {
        System.setProperty(MARK, "yes");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "refused";
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
        System.exit(3);
        return Optional.empty();
    }
}
