package org.nexusswarm.memory.evidence;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.journal.JournalEntry;

/**
 * Exports a window of an episode journal as an evidence pack, in two steps so a caller can look up what the
 * events cite in between: {@link #collect} streams the journal (from {@code JournalReader.stream}) and keeps
 * only the pack's events; {@link #write} turns them into the sealed JSON document.
 */
public final class EvidencePackExporter {

    private EvidencePackExporter() {}

    /**
     * Streams {@code journal} and collects the window of {@code request}, widened to whole checkpoint ranges.
     * The stream is cancelled as soon as the last needed checkpoint has been read. Fails (the stage completes
     * exceptionally) with an {@link IllegalStateException} naming the sequence number when the journal holds
     * an event that is not an episode event.
     */
    public static CompletionStage<ExportWindow> collect(Source<JournalEntry, ?> journal, ExportWindow.Request request,
            CitedCredential.Citation citation, ActorSystem<?> system) {
        PackWindow window = new PackWindow(request.from(), request.to(), citation);
        // takeWhile and runForeach run fused in one stage, one element at a time, so the window needs no locking.
        return journal.takeWhile(entry -> window.wantsMore())
                .runForeach(entry -> window.offer(episodeEvent(entry)), system)
                .thenApply(done -> window.result(request));
    }

    /** The same selection over events already in memory (tests, tools). */
    public static ExportWindow collect(Iterable<? extends EpisodeEvent> journal, ExportWindow.Request request,
            CitedCredential.Citation citation) {
        PackWindow window = new PackWindow(request.from(), request.to(), citation);
        for (EpisodeEvent e : journal) {
            if (!window.wantsMore()) {
                break;
            }
            window.offer(e);
        }
        return window.result(request);
    }

    /**
     * The pack's file bytes.
     *
     * @param policies    texts of cited policy versions, by label; may be empty (the section is optional)
     * @param exporterKey signs the seal when not null
     */
    public static byte[] write(ExportWindow window, Map<String, PolicyText> policies, SwarmKeyPair exporterKey,
            Instant exportedAt) {
        if (window.isEmpty()) {
            throw new IllegalArgumentException("no events to export");
        }
        return EvidencePackWriter.write(window, policies, exporterKey, exportedAt);
    }

    private static EpisodeEvent episodeEvent(JournalEntry entry) {
        if (entry.event() instanceof EpisodeEvent e) {
            return e;
        }
        throw new IllegalStateException("event " + entry.sequenceNr() + " of " + entry.persistenceId()
                + " is a " + entry.type() + ", not an episode event: this journal cannot be exported");
    }
}
