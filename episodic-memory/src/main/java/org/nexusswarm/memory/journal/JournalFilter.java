package org.nexusswarm.memory.journal;

import java.time.Instant;
import java.util.Set;

/**
 * What a reviewer's cross-journal query selects. Every criterion is optional (null or empty = any); an event is
 * selected when it meets all of them.
 *
 * <ul>
 *   <li>{@code kinds}: entity kinds by label ({@code agent}, {@code node}, ...), the persistence-id prefix.</li>
 *   <li>{@code rail}: the rail instance, i.e. the entity-id part before the first '.'
 *       ({@code drought-watch-20261121-073000} selects {@code agent|drought-watch-20261121-073000.agent-003}).
 *       A trailing {@code *} selects every instance starting with the rest ({@code drought-watch*}).</li>
 *   <li>{@code pack} and {@code packRails}: the pack named by the latest {@link
 *       org.nexusswarm.memory.chronotope.EpisodeStart} at or before the event in its journal. Before any such
 *       event (older journals, or events written before the first start), the journal belongs to the pack when
 *       its rail instance is one of {@code packRails} (the pack's rail names, as the caller knows them) or an
 *       instance of one ({@code <rail>-<suffix>}, as the demo names them).</li>
 *   <li>{@code place}: the chronotope's place, exactly.</li>
 *   <li>{@code from} / {@code to}: the chronotope's wall time, both ends inclusive. Wall time, not the write
 *       time: an event written late still falls in the window it happened in.</li>
 * </ul>
 */
public record JournalFilter(Set<String> kinds, String rail, String pack, Set<String> packRails, String place,
        Instant from, Instant to) {

    public JournalFilter {
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
        packRails = packRails == null ? Set.of() : Set.copyOf(packRails);
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("the window starts (" + from + ") after it ends (" + to + ")");
        }
    }

    /** Selects everything. */
    public static JournalFilter all() {
        return new JournalFilter(Set.of(), null, null, Set.of(), null, null, null);
    }

    public JournalFilter withKinds(Set<String> k) {
        return new JournalFilter(k, rail, pack, packRails, place, from, to);
    }

    public JournalFilter withRail(String r) {
        return new JournalFilter(kinds, r, pack, packRails, place, from, to);
    }

    public JournalFilter withPack(String p, Set<String> railsOfPack) {
        return new JournalFilter(kinds, rail, p, railsOfPack, place, from, to);
    }

    public JournalFilter withPlace(String p) {
        return new JournalFilter(kinds, rail, pack, packRails, p, from, to);
    }

    public JournalFilter between(Instant f, Instant t) {
        return new JournalFilter(kinds, rail, pack, packRails, place, f, t);
    }

    /** Whether the journal may hold selected events, judged from its id alone (kind and rail). */
    public boolean selectsJournal(String persistenceId) {
        int bar = persistenceId.indexOf('|');
        if (bar < 0) {
            return false; // not an entity journal (the kinds' journals are all "kind|id")
        }
        if (!kinds.isEmpty() && !kinds.contains(persistenceId.substring(0, bar))) {
            return false;
        }
        if (rail == null || rail.isEmpty()) {
            return true;
        }
        String instance = railInstance(persistenceId);
        return rail.endsWith("*") ? instance.startsWith(rail.substring(0, rail.length() - 1)) : instance.equals(rail);
    }

    /** Whether an event passes the place and time criteria (the pack is judged per journal, see the class doc). */
    public boolean selectsEvent(JournalEntry e) {
        if (place != null && !place.isEmpty() && !place.equals(e.place())) {
            return false;
        }
        long t = e.wallTimeMillis();
        return (from == null || t >= from.toEpochMilli()) && (to == null || t <= to.toEpochMilli());
    }

    /** The pack a journal belongs to until its first start event says otherwise, or null if unknown. */
    String packFromId(String persistenceId) {
        if (pack == null) {
            return null;
        }
        String instance = railInstance(persistenceId);
        for (String railName : packRails) {
            if (instance.equals(railName) || instance.startsWith(railName + "-")) {
                return pack;
            }
        }
        return null;
    }

    /** The rail instance of an entity journal: the entity-id part before the first '.'. */
    static String railInstance(String persistenceId) {
        String id = persistenceId.substring(persistenceId.indexOf('|') + 1);
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
