package org.nexusswarm.memory.evidence;

import java.util.Optional;
import java.util.function.Function;
import org.nexusswarm.memory.chronotope.EpisodeEvent;

/**
 * A credential an entity acted under, as journaled when its logic started.
 *
 * @param journaledAtSeq the sequence number of the event that journaled it
 */
public record CitedCredential(String id, String json, long journaledAtSeq) {

    /**
     * Finds the credential an event journals, if any. Supplied by a layer that knows the event types
     * (the safety layer's {@code Started}); this module only sees {@link EpisodeEvent}.
     */
    @FunctionalInterface
    public interface Citation extends Function<EpisodeEvent, Optional<CitedCredential>> {
        Citation NONE = e -> Optional.empty();
    }
}
