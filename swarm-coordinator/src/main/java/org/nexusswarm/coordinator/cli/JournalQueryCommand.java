package org.nexusswarm.coordinator.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.memory.journal.CausalChain;
import org.nexusswarm.memory.journal.CausalLink;
import org.nexusswarm.memory.journal.CauseTracer;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalFilter;
import org.nexusswarm.memory.journal.JournalJson;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.memory.journal.TimelineFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The reviewers' queries across journals: {@code swarm journal query} and {@code swarm journal why}. */
final class JournalQueryCommand {

    /** A query across many journals may stream for a while; one causal chain is a handful of short reads. */
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TRACE_TIMEOUT = Duration.ofMinutes(2);

    private JournalQueryCommand() {}

    /** {@code swarm journal query [--rail R] [--pack P] [--place X] [--from T] [--to T] [--kind K] [--json] [--limit N]}. */
    @Command(name = "query", mixinStandardHelpOptions = true,
            description = {"One timeline across journals, ordered by the hybrid logical clock, selected by rail, pack,",
                "place, kind and the time the events happened (their chronotope's wall time, both ends inclusive).",
                "Reads every selected journal as it is now, so an event written late is never missed.",
                "Exit 4 when nothing matches (e.g. \"no events between A and B\")."})
    static final class Query implements Callable<Integer> {

        @Option(names = "--rail", paramLabel = "R",
                description = "Rail instance: the entity-id prefix before the first '.' (e.g. drought-watch-20261121-073000); "
                        + "a trailing * selects every instance starting with the rest.")
        String rail;

        @Option(names = "--pack", paramLabel = "P",
                description = "Pack named by the entities' Started events (journals without one: by the pack's rail names).")
        String pack;

        @Option(names = "--place", paramLabel = "X", description = "Place (region or cell id), exactly.")
        String place;

        @Option(names = "--from", paramLabel = "T", description = "Events at or after T (ISO-8601 instant, e.g. 2026-11-21T07:30:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "T", description = "Events at or before T.")
        String to;

        @Option(names = "--kind", paramLabel = "K", split = ",",
                description = "Entity kinds: node, agent, delegator, orchestrator (repeat or comma-separate).")
        List<String> kinds = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", description = "Print at most the first N events of the timeline.")
        Long limit;

        @Option(names = "--json", description = "One JSON object per event (JSON lines) instead of the timeline.")
        boolean json;

        @Mixin
        CassandraOptions cassandra;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            JournalFilter filter = filter();
            if (limit != null && limit < 1) {
                throw new UserError(ExitCodes.USAGE, "--limit must be at least 1, got " + limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (JournalSession session = JournalSession.open(cassandra.loadConfig(), spec.commandLine().getErr())) {
                Source<JournalEntry, ?> timeline = session.timeline().timeline(filter);
                if (limit != null) {
                    timeline = timeline.take(limit);
                }
                if (!json) {
                    out.println("Timeline of " + describe(filter) + " in " + session.describe());
                    out.println(TimelineFormatter.timelineHeader());
                }
                AtomicLong count = new AtomicLong();
                AtomicLong broken = new AtomicLong();
                Set<String> entities = java.util.concurrent.ConcurrentHashMap.newKeySet();
                session.await(timeline.runWith(Sink.foreach(e -> {
                    count.incrementAndGet();
                    entities.add(e.persistenceId());
                    if (!e.chainIntact()) {
                        broken.incrementAndGet();
                    }
                    out.println(json ? JournalJson.line(e) : TimelineFormatter.timelineLine(e));
                }), session.system()), QUERY_TIMEOUT, "the journals", null);
                if (count.get() == 0) {
                    throw new UserError(ExitCodes.NOT_FOUND, "no events " + JournalSession.window(filter.from(), filter.to())
                            + " for " + describe(filter) + " in " + session.describe());
                }
                if (!json) {
                    out.println(count.get() + " events from " + entities.size() + " journals"
                            + (limit != null && count.get() == limit ? " (--limit " + limit + " reached)" : "")
                            + (broken.get() == 0 ? "; every event links to its predecessor."
                                    : "; hash chain BROKEN at " + broken.get() + " event(s): run 'swarm journal show' on them."));
                }
                return ExitCodes.OK;
            }
        }

        private JournalFilter filter() {
            Instant fromTime = JournalSession.instant("--from", from);
            Instant toTime = JournalSession.instant("--to", to);
            JournalSession.checkWindow(fromTime, toTime);
            Set<String> kindLabels;
            try {
                kindLabels = kinds.stream().map(k -> EntityKind.fromLabel(k.trim()).label()).collect(Collectors.toSet());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
            JournalFilter filter = JournalFilter.all().withKinds(kindLabels).withRail(blankToNull(rail))
                    .withPlace(blankToNull(place)).between(fromTime, toTime);
            return pack == null ? filter : filter.withPack(pack, railsOf(pack));
        }

        /**
         * The rail names pack {@code packName}'s signed manifest lists (read without running any of the pack); none
         * for a pack without a valid manifest here (its start events still count).
         */
        private Set<String> railsOf(String packName) {
            org.nexusswarm.packs.admission.PackAdmission.Report report =
                    new org.nexusswarm.packs.admission.PackAdmission(
                            org.nexusswarm.packs.admission.PackAdmission.Settings.from(cassandra.loadConfig()))
                            .inspect(packName, false);
            return report.manifestValid() ? Set.copyOf(report.manifest().orElseThrow().rails()) : Set.of();
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        private static String describe(JournalFilter f) {
            List<String> parts = new ArrayList<>();
            if (!f.kinds().isEmpty()) {
                parts.add("kind " + String.join(",", new java.util.TreeSet<>(f.kinds())));
            }
            Optional.ofNullable(f.rail()).ifPresent(r -> parts.add("rail " + r));
            Optional.ofNullable(f.pack()).ifPresent(p -> parts.add("pack " + p));
            Optional.ofNullable(f.place()).ifPresent(p -> parts.add("place " + p));
            if (f.from() != null || f.to() != null) {
                parts.add(JournalSession.window(f.from(), f.to()));
            }
            return parts.isEmpty() ? "every journal" : String.join(", ", parts);
        }
    }

    /** {@code swarm journal why --entity ID --seq N [--depth D] [--json]}. */
    @Command(name = "why", mixinStandardHelpOptions = true,
            description = {"The causal chain behind one event (usually a decision): its causes, their causes, ...",
                "followed across journals, breadth first, until outside causes or events without causes.",
                "Exit 4 when the entity or the event does not exist."})
    static final class Why implements Callable<Integer> {

        @Option(names = "--entity", required = true, paramLabel = "ID",
                description = "kind:id (e.g. agent:drought-watch.agent-003) or just the id to search every kind.")
        String entity;

        @Option(names = "--seq", required = true, paramLabel = "N", description = "Sequence number of the event.")
        long seq;

        @Option(names = "--depth", paramLabel = "D", defaultValue = "20",
                description = "How many steps back to follow (default ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--max-events", paramLabel = "N", defaultValue = "500",
                description = "Stop after reading this many events (default ${DEFAULT-VALUE}).")
        int maxEvents;

        @Option(names = "--json", description = "One JSON object per step (JSON lines), with depth, ref, kind and causeOf.")
        boolean json;

        @Mixin
        CassandraOptions cassandra;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<EntityAddress> candidates = JournalCommand.Show.candidates(entity);
            if (seq < 1 || depth < 0 || maxEvents < 1) {
                throw new UserError(ExitCodes.USAGE, "--seq and --max-events must be at least 1, --depth at least 0");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (JournalSession session = JournalSession.open(cassandra.loadConfig(), spec.commandLine().getErr())) {
                JournalReader reader = session.reader();
                CauseTracer tracer = new CauseTracer(reader);
                for (EntityAddress address : candidates) {
                    CausalChain chain = session.await(tracer.trace(address.persistenceId(), seq, depth, maxEvents),
                            TRACE_TIMEOUT, "the causes of " + address + "#" + seq, new CausalChain(List.of(), false));
                    if (!chain.isEmpty()) {
                        print(address, chain, out);
                        return ExitCodes.OK;
                    }
                }
                for (EntityAddress address : candidates) {
                    Optional<JournalEntry> first = session.await(reader.event(address.persistenceId(), 1),
                            TRACE_TIMEOUT, "the journal of " + address, Optional.empty());
                    if (first.isPresent()) {
                        throw new UserError(ExitCodes.NOT_FOUND, "the journal of " + address + " has no event " + seq
                                + "; 'swarm journal show " + address + "' lists its events");
                    }
                }
                throw new UserError(ExitCodes.NOT_FOUND, "no journal for " + entity + " in " + session.describe());
            }
        }

        private void print(EntityAddress address, CausalChain chain, PrintWriter out) {
            if (json) {
                chain.links().forEach(l -> out.println(JournalJson.line(l)));
                if (chain.truncated()) {
                    // Standard output stays pure JSON lines; the note goes where the progress messages go.
                    spec.commandLine().getErr().println("note: stopped at --depth " + depth + " / --max-events "
                            + maxEvents + "; raise them to follow further.");
                }
                return;
            }
            out.println("Why " + address + "#" + seq + ": " + (chain.links().size() - 1) + " cause(s) found");
            chain.links().forEach(l -> out.println(TimelineFormatter.chainLine(l)));
            long missing = chain.links().stream().filter(l -> l.kind() == CausalLink.Kind.MISSING).count();
            if (missing > 0) {
                out.println(missing + " cause(s) MISSING from their journals: the record is incomplete there.");
            }
            if (chain.truncated()) {
                out.println("Stopped at --depth " + depth + " / --max-events " + maxEvents + "; raise them to follow further.");
            }
        }
    }
}
