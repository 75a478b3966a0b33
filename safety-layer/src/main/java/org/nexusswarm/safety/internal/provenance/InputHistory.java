package org.nexusswarm.safety.internal.provenance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every entity within the cause chains of all inputs one incarnation of a logic has processed, each with the
 * nearest hop it appeared at (1 = it sent an input itself). A logic can remember anything it was fed, and only for
 * as long as its incarnation lives (a restart or release starts it from {@code init}), so this is what a
 * {@code require-provenance { since-start = true }} rule checks: a request kept in the logic's state and acted on
 * during a later, unrelated input is still traced. Kept by the logic's child actor, never seen by the logic.
 *
 * <p>Bounded: past {@link #MAX_ENTITIES} distinct names it stops recording and is {@code overflowed}, which a
 * since-start rule treats as lacking (fail closed). Immutable; {@link #with} copies only when a chain adds a name or
 * a nearer hop.
 */
public record InputHistory(Map<String, Integer> depths, boolean overflowed) {

    public static final int MAX_ENTITIES = 256;
    public static final InputHistory NONE = new InputHistory(Map.of(), false);

    public InputHistory {
        depths = Map.copyOf(depths);
    }

    /** This history with every hop of {@code chain} (hop i at depth i + 1). */
    public InputHistory with(CauseChain chain) {
        Map<String, Integer> next = null;
        boolean over = overflowed;
        List<String> hops = chain.hops();
        for (int i = 0; i < hops.size(); i++) {
            Map<String, Integer> current = next == null ? depths : next;
            Integer known = current.get(hops.get(i));
            if (known != null && known <= i + 1) {
                continue;
            }
            if (known == null && current.size() >= MAX_ENTITIES) {
                over = true;
                continue;
            }
            if (next == null) {
                next = new HashMap<>(depths);
            }
            next.put(hops.get(i), i + 1);
        }
        return next == null && over == overflowed ? this : new InputHistory(next == null ? depths : next, over);
    }

    /** The names seen within {@code hops}, nearest first, then by name (a stable order for journaled details). */
    public List<String> within(int hops) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        for (Map.Entry<String, Integer> e : depths.entrySet()) {
            if (e.getValue() <= hops) {
                entries.add(e);
            }
        }
        entries.sort(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        List<String> names = new ArrayList<>(entries.size());
        entries.forEach(e -> names.add(e.getKey()));
        return names;
    }
}
