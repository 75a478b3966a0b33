package org.nexusswarm.packs.climate;

import java.util.Map;
import java.util.TreeMap;

/** The rail node's running count of drought alerts, in total and per cell; immutable. */
public record AlertLedger(int total, Map<String, Integer> byCell) {

    public static final AlertLedger EMPTY = new AlertLedger(0, Map.of());

    public AlertLedger {
        byCell = Map.copyOf(byCell);
    }

    AlertLedger record(DroughtAlert alert) {
        Map<String, Integer> cells = new TreeMap<>(byCell);
        cells.merge(alert.cell(), 1, Integer::sum);
        return new AlertLedger(total + 1, cells);
    }
}
