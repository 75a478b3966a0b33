package org.acme.replaytest.slow;

import java.util.List;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/** An admissible pack whose constructor never returns. Registered only through a test's own class loader. */
public final class SlowPack implements Pack {

    public static final String NAME = "slow-replay";

    private final long spins;

    public SlowPack() {
        long n = 0;
        while (n >= 0) {
            n = (n + 1) % 1_000;
        }
        spins = n;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "slow " + spins;
    }

    @Override
    public List<String> railNames() {
        return List.of();
    }

    @Override
    public RailBlueprint rail(String railName, RailOptions options) {
        throw new IllegalArgumentException(railName);
    }
}
