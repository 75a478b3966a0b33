package org.nexusswarm.memory.journal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.nexusswarm.memory.chronotope.CauseRef;

/**
 * Rebuilds the causal chain behind a decision by following each event's {@code chronotope.causes} backwards,
 * across journals, breadth first, until outside causes or events without causes.
 *
 * <p>Reads one event at a time by persistence id and sequence number (with its predecessor, to check that
 * link), so a chain through long journals costs one short read per event, never a whole journal. Limits on
 * depth and on the number of events visited keep a walk over a busy swarm finite; the result says when it was
 * cut short. A cycle cannot loop: each event is visited once.
 */
public final class CauseTracer {

    private final JournalReader reader;

    public CauseTracer(JournalReader reader) {
        this.reader = reader;
    }

    /**
     * The chain behind event {@code persistenceId#sequenceNr}: empty when that event does not exist.
     *
     * @param maxDepth  how many steps back to follow (1 = direct causes only)
     * @param maxVisits how many events to read at most
     */
    public CompletionStage<CausalChain> trace(String persistenceId, long sequenceNr, int maxDepth, int maxVisits) {
        if (maxDepth < 0 || maxVisits < 1) {
            throw new IllegalArgumentException("depth must be >= 0 and visits >= 1");
        }
        return reader.event(persistenceId, sequenceNr).thenCompose(decision -> {
            if (decision.isEmpty()) {
                return CompletableFuture.completedFuture(new CausalChain(List.of(), false));
            }
            Walk walk = new Walk(maxDepth, maxVisits);
            walk.seen.add(persistenceId + "#" + sequenceNr);
            walk.record(new CausalLink(0, persistenceId + "#" + sequenceNr, CausalLink.Kind.EVENT,
                    decision.get(), ""));
            return walk.next();
        });
    }

    /** The state of one walk; its steps run one after another, so plain collections are safe. */
    private final class Walk {
        private final int maxDepth;
        private final int maxVisits;
        private final List<CausalLink> links = new ArrayList<>();
        private final Deque<CausalLink> frontier = new ArrayDeque<>();
        private final Set<String> seen = new HashSet<>();
        private boolean truncated;
        private int visits;

        Walk(int maxDepth, int maxVisits) {
            this.maxDepth = maxDepth;
            this.maxVisits = maxVisits;
        }

        void record(CausalLink link) {
            links.add(link);
            if (link.kind() == CausalLink.Kind.EVENT || link.kind() == CausalLink.Kind.MISSING) {
                visits++;
            }
            if (link.kind() == CausalLink.Kind.EVENT) {
                frontier.add(link);
            }
        }

        /** Expands the next event of the frontier: reads its causes, then continues. */
        CompletionStage<CausalChain> next() {
            CausalLink from = frontier.poll();
            if (from == null) {
                return CompletableFuture.completedFuture(new CausalChain(links, truncated));
            }
            List<String> causes = from.entry().causes();
            if (!causes.isEmpty() && from.depth() >= maxDepth) {
                truncated = true;
                return next();
            }
            CompletionStage<Void> step = CompletableFuture.completedFuture(null);
            for (String cause : causes) {
                step = step.thenCompose(v -> visit(cause, from));
            }
            return step.thenCompose(v -> next());
        }

        private CompletionStage<Void> visit(String cause, CausalLink from) {
            Optional<CauseRef> parsed = CauseRef.parse(cause);
            if (!seen.add(parsed.map(CauseRef::toString).orElse(cause))) {
                return CompletableFuture.completedFuture(null);
            }
            int depth = from.depth() + 1;
            if (parsed.isEmpty()) {
                record(new CausalLink(depth, cause, CausalLink.Kind.UNREADABLE, null, from.ref()));
                return CompletableFuture.completedFuture(null);
            }
            if (parsed.get().isExternal()) {
                record(new CausalLink(depth, cause, CausalLink.Kind.EXTERNAL, null, from.ref()));
                return CompletableFuture.completedFuture(null);
            }
            if (visits >= maxVisits) {
                truncated = true;
                return CompletableFuture.completedFuture(null);
            }
            CauseRef ref = parsed.get();
            return reader.event(ref.persistenceId(), ref.sequence()).thenAccept(entry -> record(entry
                    .map(e -> new CausalLink(depth, cause, CausalLink.Kind.EVENT, e, from.ref()))
                    .orElseGet(() -> new CausalLink(depth, cause, CausalLink.Kind.MISSING, null, from.ref()))));
        }

    }
}
