package org.nexusswarm.packs.climate;

import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/** The climate and disaster pack; its one rail is {@link DroughtWatchRail drought-watch}. */
public final class ClimatePack implements Pack {

    public static final String NAME = "climate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Climate and disaster: drought watch over Sahel soil-moisture cells with certified drought indices";
    }

    @Override
    public List<String> railNames() {
        return List.of(DroughtWatchRail.NAME);
    }

    @Override
    public RailBlueprint rail(String railName, RailOptions options) {
        if (!DroughtWatchRail.NAME.equals(railName)) {
            throw new IllegalArgumentException("pack '" + NAME + "' has no rail '" + railName + "'; known rails: "
                    + String.join(", ", railNames()));
        }
        return DroughtWatchRail.build(NAME, options);
    }

    /** See {@link DroughtWatchRail#logic(String)}. */
    @Override
    public Optional<AgentLogic<?>> logic(String version) {
        return DroughtWatchRail.logic(version);
    }
}
