package org.nexusswarm.memory.chronotope;

import java.util.Optional;

/**
 * A reference from an event to one of its causes: an event of some journal ({@code persistenceId#sequence})
 * or something outside the swarm ({@code external:<who>}, e.g. a signal feed or an operator). Reviewers'
 * tools follow these references across journals to rebuild the causal chain behind a decision.
 */
public record CauseRef(String persistenceId, long sequence, String external) {

    private static final String EXTERNAL = "external:";

    public static CauseRef event(String persistenceId, long sequence) {
        return new CauseRef(persistenceId, sequence, "");
    }

    public static CauseRef external(String who) {
        return new CauseRef("", 0, who);
    }

    public boolean isExternal() {
        return !external.isEmpty();
    }

    /** Parses the text form; empty for text that is neither form. */
    public static Optional<CauseRef> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.startsWith(EXTERNAL)) {
            return Optional.of(external(text.substring(EXTERNAL.length())));
        }
        int hash = text.lastIndexOf('#');
        if (hash <= 0 || hash == text.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(event(text.substring(0, hash), Long.parseLong(text.substring(hash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return isExternal() ? EXTERNAL + external : persistenceId + "#" + sequence;
    }
}
