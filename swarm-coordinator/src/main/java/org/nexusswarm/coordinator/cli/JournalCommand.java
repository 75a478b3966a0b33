package org.nexusswarm.coordinator.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalJson;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.memory.journal.TimelineFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code swarm journal ...}: read episode journals back from Cassandra. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Read episode journals from Cassandra.",
        subcommands = {JournalCommand.Show.class, JournalQueryCommand.Query.class, JournalQueryCommand.Why.class,
                JournalVerifyCommand.class, JournalExportCommand.class, JournalReplayCommand.Replay.class,
                JournalReplayCommand.WhatIf.class})
final class JournalCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a subcommand, e.g. 'journal show'");
    }

    /** {@code swarm journal show ENTITY [--from T] [--to T] [--json]}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print one entity's journal: sequence number, time, event type, details, hash-chain check.",
                "The chain is checked over the whole journal, also when --from/--to show only part of it.",
                "Exit 4 when the entity has no journal, or when no event falls in the window."})
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "ENTITY",
                description = "kind:id (e.g. agent:drought-watch.agent-099) or just the id to search every kind.")
        String entity;

        @Option(names = "--from", paramLabel = "T",
                description = "Only events that happened at or after T (ISO-8601 instant, e.g. 2026-11-21T07:30:00Z).")
        String from;

        @Option(names = "--to", paramLabel = "T", description = "Only events that happened at or before T.")
        String to;

        @Option(names = "--json", description = "One JSON object per event (JSON lines) instead of the timeline.")
        boolean json;

        @Mixin
        CassandraOptions cassandra;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<EntityAddress> candidates = candidates(entity);
            Instant fromTime = JournalSession.instant("--from", from);
            Instant toTime = JournalSession.instant("--to", to);
            JournalSession.checkWindow(fromTime, toTime);
            PrintWriter out = spec.commandLine().getOut();
            try (JournalSession session = JournalSession.open(cassandra.loadConfig(), spec.commandLine().getErr())) {
                JournalReader reader = session.reader();
                for (EntityAddress address : candidates) {
                    List<JournalEntry> journal = session.await(reader.readAll(address.persistenceId()),
                            Duration.ofSeconds(60), "the journal of " + address, List.of());
                    if (!journal.isEmpty()) {
                        List<JournalEntry> shown = journal.stream().filter(e -> within(e, fromTime, toTime)).toList();
                        if (shown.isEmpty()) {
                            throw new UserError(ExitCodes.NOT_FOUND, "no events " + JournalSession.window(fromTime, toTime)
                                    + " in the journal of " + address + " (" + journal.size() + " events, from "
                                    + Instant.ofEpochMilli(journal.get(0).wallTimeMillis()) + " to "
                                    + Instant.ofEpochMilli(journal.get(journal.size() - 1).wallTimeMillis()) + ")");
                        }
                        if (json) {
                            shown.forEach(e -> out.println(JournalJson.line(e)));
                        } else {
                            print(address, journal, shown, out);
                        }
                        return ExitCodes.OK;
                    }
                }
                throw new UserError(ExitCodes.NOT_FOUND, "no journal for " + entity + " in "
                        + session.describe() + ". Run './swarm demo' first, or check the entity id "
                        + "(e.g. agent:drought-watch.agent-099).");
            }
        }

        static List<EntityAddress> candidates(String text) {
            return JournalArguments.candidates(text);
        }

        private static boolean within(JournalEntry e, Instant from, Instant to) {
            long t = e.wallTimeMillis();
            return (from == null || t >= from.toEpochMilli()) && (to == null || t <= to.toEpochMilli());
        }

        private static void print(EntityAddress address, List<JournalEntry> journal, List<JournalEntry> shown,
                PrintWriter out) {
            out.println("Journal of " + address + " (persistence id " + address.persistenceId() + "), "
                    + journal.size() + " events" + (shown.size() == journal.size() ? ""
                            : ", " + shown.size() + " shown"));
            out.println(TimelineFormatter.header());
            shown.forEach(e -> out.println(TimelineFormatter.line(e)));
            long broken = journal.stream().filter(e -> !e.chainIntact()).count();
            out.println(broken == 0 ? "Hash chain intact over all " + journal.size() + " events."
                    : "Hash chain BROKEN at " + broken + " event(s): the journal was altered.");
        }
    }
}
