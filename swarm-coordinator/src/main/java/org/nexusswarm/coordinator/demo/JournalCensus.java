package org.nexusswarm.coordinator.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;

/**
 * Reads many journals back through Persistence Query and counts their events by type, checking each hash
 * chain on the way. Blocking edge code (command line and tests).
 */
public final class JournalCensus {

    /** Counts per event type, per action class for allowed actions, and journals whose chain broke. */
    public record Result(Map<String, Long> byType, Map<String, Long> allowedByAction, int journals, int brokenChains) {}

    private JournalCensus() {}

    public static Result take(ActorSystem<?> system, String readJournalPluginId, List<EntityAddress> entities,
            Duration timeout) throws Exception {
        JournalReader reader = new JournalReader(system, readJournalPluginId);
        List<CompletableFuture<List<JournalEntry>>> reads = entities.stream()
                .map(a -> reader.readAll(a.persistenceId()).toCompletableFuture())
                .toList();
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> byAction = new TreeMap<>();
        int broken = 0;
        for (CompletableFuture<List<JournalEntry>> read : reads) {
            List<JournalEntry> journal = read.join();
            if (journal.stream().anyMatch(e -> !e.chainIntact())) {
                broken++;
            }
            for (JournalEntry e : journal) {
                byType.merge(e.type(), 1L, Long::sum);
                if (e.type().equals("ActionAllowed")) {
                    byAction.merge(e.details().split(" ", 2)[0], 1L, Long::sum);
                }
            }
        }
        return new Result(byType, byAction, reads.size(), broken);
    }
}
