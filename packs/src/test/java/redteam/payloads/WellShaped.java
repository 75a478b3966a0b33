package redteam.payloads;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nexusswarm.actors.SwarmMessage;

/** What a payload record may do: value checks and defensive copies, with messages built from plain values. */
public record WellShaped(String cell, double mw, List<String> tags, Map<String, Double> readings, Integer day)
        implements SwarmMessage {
    public WellShaped {
        Objects.requireNonNull(cell, "cell");
        if (cell.isBlank() || Double.isNaN(mw) || Math.abs(mw) > 10_000) {
            throw new IllegalArgumentException("bad reading for cell " + cell + ": " + mw + " MW");
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
        readings = Map.copyOf(readings);
        day = day == null ? Integer.valueOf(0) : day;
    }

    /** Other methods are pack code the step calls (within its budget), never the serializer. */
    public boolean large() {
        return mw > 100;
    }
}
