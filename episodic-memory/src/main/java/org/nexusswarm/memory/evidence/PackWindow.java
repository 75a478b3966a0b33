package org.nexusswarm.memory.evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.chronotope.EpisodeEvent;

/**
 * Picks, from a journal streamed in sequence order, the events an evidence pack holds: the requested time
 * window widened to whole checkpoint ranges, so every included event that a checkpoint covers can have its
 * Merkle root recomputed from the pack.
 *
 * <p>Checkpoints tile a journal and a checkpoint event is the first event of the next range, so a range is
 * only known to be complete when its checkpoint arrives. Until the window starts this keeps the current range
 * (events since the last checkpoint event); once it has started it keeps everything until a checkpoint event
 * outside the window closes the last range that holds a window event. Memory: the exported events plus, before
 * the window, one checkpoint range. Events after the last checkpoint (the journal's tail) are kept up to the
 * last one in the window. Wall time decides membership (the chronotope's, not the row's write time).
 *
 * <p>Not thread-safe: feed it from one stream stage.
 */
final class PackWindow {

    private final long fromMillis;
    private final long toMillis;
    private final CitedCredential.Citation citation;

    private final List<EpisodeEvent> range = new ArrayList<>();
    private final List<EpisodeEvent> included = new ArrayList<>();
    private final Map<String, CitedCredential> credentials = new LinkedHashMap<>();
    private CitedCredential inForce;
    private boolean started;
    private boolean done;
    private int lastInWindow = -1;
    private int lastCheckpoint = -1;
    private long seen;
    private long firstSeq = -1;
    private long lastSeq = -1;
    private long firstWall;
    private long lastWall;

    PackWindow(Instant from, Instant to, CitedCredential.Citation citation) {
        this.fromMillis = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        this.toMillis = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        this.citation = citation;
    }

    /** Whether later events may still belong to the pack (false lets the stream stop early). */
    boolean wantsMore() {
        return !done;
    }

    void offer(EpisodeEvent e) {
        noteSeen(e);
        long wall = e.chronotope().wallTimeMillis();
        boolean inWindow = wall >= fromMillis && wall <= toMillis;
        Optional<CitedCredential> cited = citation.apply(e);
        if (!started) {
            if (e instanceof CheckpointEvent) {
                range.clear();
            }
            range.add(e);
            cited.ifPresent(c -> inForce = c);
            if (inWindow) {
                start();
            }
            return;
        }
        included.add(e);
        cited.ifPresent(this::cite);
        if (inWindow) {
            lastInWindow = included.size() - 1;
        }
        if (e instanceof CheckpointEvent) {
            lastCheckpoint = included.size() - 1;
            done = !inWindow;
        }
    }

    private void start() {
        started = true;
        if (inForce != null) {
            cite(inForce);
        }
        included.addAll(range);
        range.clear();
        lastInWindow = included.size() - 1;
    }

    private void cite(CitedCredential c) {
        credentials.putIfAbsent(c.id() + "\n" + c.json(), c);
    }

    private void noteSeen(EpisodeEvent e) {
        seen++;
        long seq = e.chronotope().sequence();
        long wall = e.chronotope().wallTimeMillis();
        if (firstSeq < 0) {
            firstSeq = seq;
            firstWall = wall;
        }
        lastSeq = seq;
        lastWall = wall;
    }

    /** What was collected; events after the last one that is needed (window or checkpoint) are dropped. */
    ExportWindow result(ExportWindow.Request request) {
        int end = Math.max(lastInWindow, lastCheckpoint);
        List<EpisodeEvent> events = started ? List.copyOf(included.subList(0, end + 1)) : List.of();
        return new ExportWindow(request, events, List.copyOf(credentials.values()), seen, firstSeq, lastSeq,
                firstWall, lastWall);
    }
}
