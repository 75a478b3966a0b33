package org.nexusswarm.packs;

import java.util.List;

/**
 * The signals a rail's feeds deliver, round by round. Implementations are deterministic: the same seed and
 * round always give the same signals, in the same order, whatever rounds were asked for before.
 */
public interface SignalScript {

    /** The signals of round {@code round} (0-based). */
    List<Signal> round(int round);

    /** The sender name feeds use for these signals (not an entity address), e.g. {@code feed:sensors}. */
    default String source() {
        return "feed:signals";
    }
}
