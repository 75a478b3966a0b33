package org.nexusswarm.memory.evidence;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.nexusswarm.memory.chronotope.EpisodeEvent;

/**
 * The part of a journal an evidence pack will hold, as collected by {@link EvidencePackExporter#collect}, and
 * what was seen while streaming (so a caller can say why a window is empty).
 *
 * @param events      the pack's events, contiguous and ascending; empty when no event falls in the window
 * @param credentials the credentials in force at the first event and those journaled after it
 * @param seen        how many events were read (0: the journal is empty or does not exist)
 */
public record ExportWindow(Request request, List<EpisodeEvent> events, List<CitedCredential> credentials,
        long seen, long firstSeenSeq, long lastSeenSeq, long firstSeenWallMillis, long lastSeenWallMillis) {

    /**
     * What to export.
     *
     * @param entity the entity address text ({@code kind:id}) shown to reviewers
     * @param from   start of the window (inclusive), or null for the journal's start
     * @param to     end of the window (inclusive), or null for its end
     */
    public record Request(String persistenceId, String entity, Instant from, Instant to) {}

    public ExportWindow {
        events = List.copyOf(events);
        credentials = List.copyOf(credentials);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The policy version labels ({@code rail:drought-watch@3}) the events cite, sorted. */
    public List<String> citedPolicyVersions() {
        TreeSet<String> versions = new TreeSet<>();
        for (EpisodeEvent e : events) {
            versions.addAll(EvidencePackVerifier.policyLabels(e.chronotope().policyVersion()));
        }
        return List.copyOf(versions);
    }
}
