package org.nexusswarm.safety.internal.policy;

import java.util.OptionalLong;

/**
 * The acting entity's journaled history as sequence rules ({@link PolicyRule.Sequence}) read it: when it last
 * observed an inbound payload type, and when it was last allowed an action class. Times are journaled event
 * times, never a clock, so a replay answers the same.
 */
public interface SequenceView {

    /** The newest time, at or before {@code atMillis}, a payload type matching {@code glob} was observed. */
    OptionalLong lastObserved(String glob, long atMillis);

    /** The newest time, at or before {@code atMillis}, an action class matching {@code glob} was allowed. */
    OptionalLong lastPerformed(String glob, long atMillis);

    /** Whether this view knows the history; when it does not, every sequence rule counts as triggered (fail closed). */
    default boolean known() {
        return true;
    }

    /** No history known: sequence rules require their approval, as if triggered. */
    SequenceView UNKNOWN = new SequenceView() {
        @Override
        public OptionalLong lastObserved(String glob, long atMillis) {
            return OptionalLong.empty();
        }

        @Override
        public OptionalLong lastPerformed(String glob, long atMillis) {
            return OptionalLong.empty();
        }

        @Override
        public boolean known() {
            return false;
        }
    };
}
