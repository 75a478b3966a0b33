package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nexusswarm.packs.admission.PackAdmission;
import org.nexusswarm.packs.admission.ReplayLogics;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.replay.DeterminismReplay;
import org.nexusswarm.safety.api.replay.ReplayCalls;
import org.nexusswarm.safety.api.replay.ReplayFinding;
import org.nexusswarm.safety.api.replay.ReplayReport;
import org.nexusswarm.safety.api.replay.ReplayWindow;
import org.nexusswarm.safety.api.replay.WhatIfDecision;
import org.nexusswarm.safety.api.replay.WhatIfReplay;
import org.nexusswarm.safety.api.replay.WhatIfReport;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm journal replay} and {@code swarm journal what-if}: replays of one entity's journal. */
final class JournalReplayCommand {

    /** Text mode shows at most this many rows; {@code --json} shows all. */
    static final int MAX_ROWS = 200;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalReplayCommand() {}

    /** Options both replays take. */
    static final class Selection {
        @Option(names = "--entity", required = true, paramLabel = "ENTITY",
                description = "kind:id (e.g. agent:drought-watch.agent-003) or just the id to search every kind.")
        String entity;

        @Option(names = "--from", paramLabel = "TIME",
                description = "Report from this time (ISO instant, UTC date-time or date, or epoch ms); earlier events "
                        + "are still replayed to rebuild the state.")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Report up to this time; later events are not replayed.")
        String to;

        @Option(names = "--json", description = "One JSON object per line (every comparison, then a summary).")
        boolean json;
    }

    /** {@code swarm journal replay --entity ID}. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Determinism check: re-run the entity's logic (the version its journal records) on its "
                    + "recorded inputs, with no side effects, and report every intent that differs from the journal.",
                    "The pack the journal names is admitted first, as a node admits it (signed manifest, bytecode "
                            + "check); every call into its code runs under the supervisor's watchdog and wall-time cap.",
                    "Exit 0 when every decision is reproduced, 8 when any differs, 4 for an unknown entity or logic, "
                            + "6 for a pack refused at admission."})
    static final class Replay implements Callable<Integer> {

        @Mixin
        Selection selection;

        @Mixin
        CassandraOptions cassandra;

        @Mixin
        PackLocationOptions packs;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ReplayWindow window = ReplayJournals.window(selection.from, selection.to);
            PrintWriter out = spec.commandLine().getOut();
            FindingPrinter printer = new FindingPrinter(out, selection.json);
            Config config = packs.apply(cassandra.loadConfig());
            ReplayCalls calls = ReplayCalls.from(config);
            try {
                ReplayLogics logics = logics(config, calls);
                var replayed = ReplayJournals.replay(cassandra, selection.entity, spec.commandLine().getErr(),
                        address -> {
                            printer.title("Replay of " + address + " (journal " + address.persistenceId() + "), "
                                    + window + ":");
                            return new Adapter<>(new DeterminismReplay(address, logics, calls, window,
                                    printer::print), DeterminismReplay::accept, DeterminismReplay::done);
                        });
                ReplayReport report = replayed.replay().inner().finish();
                if (selection.json) {
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("type", "summary");
                    summary.put("entity", replayed.address().toString());
                    summary.put("report", report);
                    summary.put("reproduced", report.reproduced());
                    summary.put("chainBreaks", replayed.chainBreaks());
                    out.println(json(summary));
                } else {
                    printer.finish();
                    out.println(report.summary());
                    chainWarning(out, replayed.chainBreaks());
                }
                return report.reproduced() ? ExitCodes.OK : ExitCodes.INVALID;
            } finally {
                calls.shutdown();
            }
        }
    }

    /** {@code swarm journal what-if --entity ID --policy FILE}. */
    @Command(name = "what-if", mixinStandardHelpOptions = true,
            description = {"Replay the entity's recorded decisions under another policy and list those that would "
                    + "change: allowed → denied, denied → allowed, approval now (or no longer) needed.",
                    "The policy file replaces every policy recorded as in force. Credential refusals stay as recorded.",
                    "Exit 0 after a complete comparison, 2 for a policy file that does not parse (nothing is run), "
                            + "6 for a journal whose pack is refused at admission."})
    static final class WhatIf implements Callable<Integer> {

        @Mixin
        Selection selection;

        @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy to decide under.")
        Path policyFile;

        @Mixin
        CassandraOptions cassandra;

        @Mixin
        PackLocationOptions packs;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Policy policy = readPolicy(policyFile); // fail closed: nothing runs under a policy that does not parse
            ReplayWindow window = ReplayJournals.window(selection.from, selection.to);
            Config config = packs.apply(cassandra.loadConfig());
            int maxDenials = config.getInt("nexus.swarm.safety.max-denials");
            ReplayCalls calls = ReplayCalls.from(config);
            ReplayLogics logics;
            try {
                logics = logics(config, calls);
            } finally {
                calls.shutdown(); // a what-if calls no pack code: admission only
            }
            PrintWriter out = spec.commandLine().getOut();
            DecisionPrinter printer = new DecisionPrinter(out, selection.json);
            var replayed = ReplayJournals.replay(cassandra, selection.entity, spec.commandLine().getErr(),
                    address -> {
                        printer.title("What-if for " + address + " under " + policy.versionTag() + " (file "
                                + policyFile + ", sha256 " + policy.sha256().substring(0, 12) + "…), " + window + ":");
                        WhatIfReplay whatIf = new WhatIfReplay(policy, maxDenials, window, printer::print);
                        // A what-if runs no logic, but replays a journal only for a pack the node would admit.
                        return new Adapter<>(whatIf, (w, event) -> {
                            if (event instanceof SafetyEvent.Started s && s.pack() != null && !s.pack().isEmpty()) {
                                logics.check(s.pack());
                            }
                            w.accept(event);
                        }, WhatIfReplay::done);
                    });
            WhatIfReport report = replayed.replay().inner().finish();
            if (selection.json) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("type", "summary");
                summary.put("entity", replayed.address().toString());
                summary.put("report", report);
                summary.put("chainBreaks", replayed.chainBreaks());
                out.println(json(summary));
                return ExitCodes.OK;
            }
            printer.finish();
            out.println(report.summary());
            out.println(report.whatIfKill().isEmpty() ? "The safety layer would not have killed the entity."
                    : "The safety layer would have killed the entity at " + report.whatIfKill() + ".");
            out.println("The journal records " + report.recordedKills() + " kill(s) by the safety layer.");
            chainWarning(out, replayed.chainBreaks());
            return ExitCodes.OK;
        }
    }

    static Policy readPolicy(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read policy file " + file + ": " + e.getMessage());
        }
        try {
            return PolicyParser.parse(text);
        } catch (PolicyParseException e) {
            throw new UserError(ExitCodes.USAGE, "policy file " + file + " is invalid: " + e.getMessage());
        }
    }

    /**
     * The logics a replay may run: those of packs admitted with the node's admission settings
     * ({@code nexus.swarm.packs.admission}), their code run under {@code calls}.
     */
    static ReplayLogics logics(Config config, ReplayCalls calls) {
        return new ReplayLogics(new PackAdmission(PackAdmission.Settings.from(config)), calls);
    }

    private static void chainWarning(PrintWriter out, long breaks) {
        if (breaks > 0) {
            out.println("WARNING: the hash chain is broken at " + breaks + " event(s): this journal was altered "
                    + "(see 'swarm journal show').");
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    /** Adapts an engine to {@link ReplayJournals.Replay} without the engines knowing the command line. */
    record Adapter<E>(E inner, java.util.function.BiConsumer<E, SafetyEvent> accept,
            java.util.function.Predicate<E> isDone) implements ReplayJournals.Replay {
        @Override
        public void accept(SafetyEvent event) {
            accept.accept(inner, event);
        }

        @Override
        public boolean done() {
            return isDone.test(inner);
        }
    }

    /** Rows printed as they come, under a title printed once (the entity is known only once its journal is). */
    abstract static class Printer {
        final PrintWriter out;
        final boolean json;
        long rows;
        private String title;

        Printer(PrintWriter out, boolean json) {
            this.out = out;
            this.json = json;
        }

        void title(String text) {
            title = text;
        }

        void printTitle() {
            if (title != null && !json) {
                out.println(title);
                title = null;
            }
        }
    }

    /** Prints determinism findings as they come: differences as table rows, or everything as JSON lines. */
    static final class FindingPrinter extends Printer {

        FindingPrinter(PrintWriter out, boolean json) {
            super(out, json);
        }

        void print(ReplayFinding f) {
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "finding");
                line.put("kind", f.kind());
                line.put("seq", f.sequence());
                line.put("time", Instant.ofEpochMilli(f.wallTimeMillis()).toString());
                line.put("intentId", f.intentId());
                line.put("recorded", f.recorded());
                line.put("replayed", f.replayed());
                line.put("detail", f.detail());
                out.println(json(line));
                return;
            }
            if (f.kind() == ReplayFinding.Kind.MATCH) {
                return;
            }
            if (rows++ == 0) {
                printTitle();
                out.println(String.format("%6s  %-23s  %-22s  %s", "seq", "time (UTC)", "finding", "intent"));
            }
            if (rows > MAX_ROWS) {
                return;
            }
            out.println(String.format("%6d  %-23s  %-22s  %s", f.sequence(), time(f.wallTimeMillis()),
                    f.kind().label(), f.intentId().isEmpty() ? "-" : f.intentId()));
            if (!f.recorded().isEmpty()) {
                out.println("          recorded: " + f.recorded());
            }
            if (!f.replayed().isEmpty()) {
                out.println("          replayed: " + f.replayed());
            }
            if (!f.detail().isEmpty()) {
                out.println("          " + f.detail());
            }
        }

        void finish() {
            printTitle();
            if (rows > MAX_ROWS) {
                out.println("(" + (rows - MAX_ROWS) + " more findings not shown; --json lists all)");
            }
        }
    }

    /** Prints what-if decisions as they come: changed ones as table rows, or every one as JSON lines. */
    static final class DecisionPrinter extends Printer {

        DecisionPrinter(PrintWriter out, boolean json) {
            super(out, json);
        }

        void print(WhatIfDecision d) {
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "decision");
                line.put("seq", d.sequence());
                line.put("time", Instant.ofEpochMilli(d.wallTimeMillis()).toString());
                line.put("intentId", d.intentId());
                line.put("action", d.actionClass());
                line.put("target", d.target());
                line.put("recorded", d.recorded());
                line.put("whatIf", d.whatIf());
                line.put("change", d.change());
                out.println(json(line));
                return;
            }
            if (d.change() == WhatIfDecision.Change.UNCHANGED) {
                return;
            }
            if (rows++ == 0) {
                printTitle();
                out.println(String.format("%6s  %-23s  %-25s  %s", "seq", "time (UTC)", "change", "action → target"));
            }
            if (rows > MAX_ROWS) {
                return;
            }
            out.println(String.format("%6d  %-23s  %-25s  %s → %s", d.sequence(), time(d.wallTimeMillis()),
                    d.change().label(), d.actionClass(), d.target()));
            out.println("          recorded (" + d.recorded().policyVersion() + "): " + d.recorded());
            out.println("          what-if  (" + d.whatIf().policyVersion() + "): " + d.whatIf());
        }

        void finish() {
            printTitle();
            if (rows == 0) {
                out.println("No decision would change.");
            } else if (rows > MAX_ROWS) {
                out.println("(" + (rows - MAX_ROWS) + " more changed decisions not shown; --json lists all)");
            }
        }
    }
}
