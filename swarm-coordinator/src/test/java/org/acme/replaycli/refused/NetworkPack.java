package org.acme.replaycli.refused;

import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/** A pack the bytecode check refuses (it opens a socket); registered only through a test's class loader. */
public final class NetworkPack implements Pack {

    public static final String NAME = "network-replay";

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
        try (java.net.Socket s = new java.net.Socket("203.0.113.1", 80)) {
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
