package org.nexusswarm.packs.climate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.Signal;
import org.nexusswarm.packs.SignalScript;

/**
 * The drought-watch sensor feed: each round (a day) every agent gets one {@link SoilMoistureReading} for its
 * cell. Dry cells read 8-20 % moisture at 34-40 °C (drought index always above 0.6), the others 35-65 % at
 * 16-30 °C (always below), so which agents alert is known from the dry cells alone.
 *
 * <p>Deterministic: each round draws from its own {@link SplittableRandom} derived from the seed and the
 * round number, so a round's readings do not depend on which rounds were asked for before.
 */
public final class SoilSensorScript implements SignalScript {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final List<EntityBlueprint> agents;
    private final Set<String> dryCells;
    private final long seed;

    SoilSensorScript(List<EntityBlueprint> agents, Set<String> dryCells, long seed) {
        this.agents = List.copyOf(agents);
        this.dryCells = Set.copyOf(dryCells);
        this.seed = seed;
    }

    /** The cells that are in drought for this seed. */
    public Set<String> dryCells() {
        return new TreeSet<>(dryCells);
    }

    @Override
    public String source() {
        return DroughtWatchRail.SENSOR_FEED;
    }

    @Override
    public List<Signal> round(int round) {
        if (round < 0) {
            throw new IllegalArgumentException("rounds start at 0, got " + round);
        }
        SplittableRandom random = new SplittableRandom(seed ^ (GOLDEN_GAMMA * (round + 1L)));
        List<Signal> signals = new ArrayList<>(agents.size());
        for (EntityBlueprint agent : agents) {
            String cell = agent.place();
            boolean dry = dryCells.contains(cell);
            double moisture = dry ? random.nextDouble(8.0, 20.0) : random.nextDouble(35.0, 65.0);
            double temperature = dry ? random.nextDouble(34.0, 40.0) : random.nextDouble(16.0, 30.0);
            signals.add(new Signal(agent.address(),
                    new SoilMoistureReading(cell, tenths(moisture), tenths(temperature), round)));
        }
        return List.copyOf(signals);
    }

    /** Sensors report one decimal; rounding also keeps the values readable in journals. */
    private static double tenths(double x) {
        return Math.round(x * 10.0) / 10.0;
    }
}
