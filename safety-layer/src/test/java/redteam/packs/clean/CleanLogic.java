package redteam.packs.clean;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.Intent;

/**
 * A pure logic that uses what javac emits for ordinary Java: records, enums and enum switches, lambdas and method
 * references, string concatenation, streams, Optional, collections, java.time and java.math values, exceptions,
 * assertions, a seeded SplittableRandom, and the agent API's Intent and EntityAddress.
 */
public final class CleanLogic {

    public enum Level {
        LOW("low"), HIGH("high");

        private final String label;

        Level(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public record Reading(String cell, double moisture, long atMillis) { }

    public record State(Map<String, Double> latest, List<String> alerts) {
        public State {
            latest = Map.copyOf(latest);
            alerts = List.copyOf(alerts);
        }
    }

    @FunctionalInterface
    interface Rule {
        Optional<String> apply(Reading r);
    }

    // Static finals of immutable values: every entity of the pack may share these.
    static final State EMPTY = new State(Map.of(), List.of());
    static final List<Reading> SAMPLES = List.of(new Reading("a", 0.5, 0), new Reading("b", 0.1, 1));
    static final Map<Level, String> NAMES = Map.of(Level.LOW, Level.LOW.label());
    static final Comparator<Reading> BY_CELL = Comparator.comparing(Reading::cell).thenComparing(Reading::atMillis);
    static final Optional<String> NONE = Optional.empty();
    static final BigDecimal TEN = BigDecimal.TEN;
    static final String NAME = "clean-" + TEN;
    static final List<String> CELLS = List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11");
    static final Map<String, Level> BY_LABEL = Map.ofEntries(Map.entry("low", Level.LOW), Map.entry("high", Level.HIGH));
    static final List<String> REPEATED = java.util.Collections.nCopies(3, NAME);
    static final Function<Integer, Integer> PLUS;

    static {
        int offset = CELLS.size();
        PLUS = x -> x + offset;
    }

    private static final Rule DRY = r -> r.moisture() < 0.1 ? Optional.of("dry " + r.cell()) : Optional.empty();

    public State step(State state, Reading reading) {
        assert reading != null;
        Map<String, Double> latest = new TreeMap<>(state.latest());
        latest.put(reading.cell(), reading.moisture());
        List<String> alerts = new ArrayList<>(state.alerts());
        DRY.apply(reading).ifPresent(alerts::add);
        Level level = reading.moisture() < 0.2 ? Level.LOW : Level.HIGH;
        switch (level) {
            case LOW -> alerts.add("low at " + Duration.ofMillis(reading.atMillis()).toMinutes());
            case HIGH -> { }
            default -> throw new IllegalStateException("unknown " + level);
        }
        String summary = latest.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
                .map(Map.Entry::getKey).collect(Collectors.joining(","));
        BigDecimal total = latest.values().stream().map(BigDecimal::valueOf).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (total.signum() < 0) {
            throw new IllegalArgumentException(summary);
        }
        Function<String, Integer> length = String::length;
        alerts.removeIf(a -> length.apply(a) > 200);
        return new State(latest, alerts);
    }

    /** A seeded SplittableRandom is deterministic (the same seed draws the same values in a replay). */
    public double jitter(long seed) {
        return new java.util.SplittableRandom(seed).nextDouble(0.0, 1.0);
    }

    public Intent alert(State s, String id) {
        EntityAddress target = new EntityAddress(EntityKind.NODE, "node-" + Level.valueOf("LOW").ordinal());
        return new Intent(id + s.alerts().size(), "alert.raise", target, null);
    }
}
