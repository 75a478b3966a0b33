package org.nexusswarm.coordinator.cli;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.memory.verify.Finding;
import org.nexusswarm.memory.verify.JournalRow;
import org.nexusswarm.memory.verify.JournalRows;
import org.nexusswarm.memory.verify.JournalVerifier;
import org.nexusswarm.memory.verify.TrustedNodes;
import org.nexusswarm.memory.verify.Verification;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code swarm journal verify}: checks episode journals row by row, straight from Cassandra (not through the
 * journal plugin's replay, which would hide rows it cannot read), for changed, deleted, inserted, moved or
 * swapped events, broken links, forged checkpoints and unreadable rows. Each journal streams: a long one is
 * never held in memory. One line per journal, the first broken link on it; {@code --json} for tools.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify episode journals: hash chain, signed checkpoints, row order, readability.",
                "Without --entity or --rail every entity journal in the keyspace is checked."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every journal checked is intact", "1:unexpected failure", "2:bad command line",
                "3:Cassandra unavailable", "4:no journal for that entity or rail",
                "8:a journal is altered, incomplete or unreadable"})
final class JournalVerifyCommand implements Callable<Integer> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final class Selection {
        @Option(names = "--entity", paramLabel = "ENTITY",
                description = "One entity: kind:id (e.g. agent:drought-watch.agent-003) or just the id (every kind).")
        String entity;

        @Option(names = "--rail", paramLabel = "RAIL",
                description = "Every entity of a rail instance (e.g. drought-watch-20261121t0730), or of every "
                        + "instance of a rail name (e.g. drought-watch).")
        String rail;
    }

    @ArgGroup(exclusive = true)
    Selection selection;

    @Option(names = "--trust-node", paramLabel = "DID",
            description = "Also trust this node key to sign checkpoints (repeatable), besides those listed in the "
                    + "trusted-nodes file (nexus.swarm.memory.trusted-nodes-file, env NEXUS_TRUSTED_NODES).")
    List<String> trustNodes = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per journal, then a summary (JSON lines).")
    boolean json;

    @Mixin
    CassandraOptions cassandra;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private record Totals(int journals, int broken, long rows) {}

    @Override
    public Integer call() throws Exception {
        Config config = cassandra.loadConfig();
        Path trustFile = Path.of(config.getString("nexus.swarm.memory.trusted-nodes-file"));
        TrustedNodes trust = trust(trustFile);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (CassandraConnection connection = CassandraConnection.open(config, false, err)) {
            Config readerConfig = connection.apply(config)
                    .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"));
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "nexus-verify", readerConfig);
            try {
                JournalRows rows = open(system, connection);
                List<String> journals = select(rows);
                if (journals.isEmpty()) {
                    throw new UserError(ExitCodes.NOT_FOUND, "no journal " + describeSelection() + " in "
                            + connection.describe(config) + ".");
                }
                Totals totals = verifyAll(rows, journals, trust, out, err);
                if (totals.journals() == 0) {
                    throw new UserError(ExitCodes.NOT_FOUND, "no journal " + describeSelection() + " in "
                            + connection.describe(config) + ". Check the entity id (e.g. agent:drought-watch.agent-003).");
                }
                summary(totals, trust, trustFile, out);
                return totals.broken() == 0 ? ExitCodes.OK : ExitCodes.INVALID;
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private TrustedNodes trust(Path file) {
        try {
            return TrustedNodes.load(file).plus(trustNodes);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static JournalRows open(ActorSystem<Void> system, CassandraConnection connection) throws Exception {
        try {
            return JournalRows.open(system, CONNECT_TIMEOUT);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UserError(ExitCodes.CASSANDRA_UNAVAILABLE, "Cannot reach Cassandra at " + connection.endpoints()
                    + ": " + cause.getMessage());
        }
    }

    /** The persistence ids to check, in order; for --entity the candidates of every kind. */
    private List<String> select(JournalRows rows) {
        if (selection != null && selection.entity != null) {
            return candidates(selection.entity);
        }
        Set<String> kinds = Stream.of(EntityKind.values()).map(EntityKind::label).collect(Collectors.toSet());
        String rail = selection == null ? null : selection.rail;
        return allIds(rows).stream().filter(pid -> {
            int bar = pid.indexOf('|');
            return bar > 0 && kinds.contains(pid.substring(0, bar)) && (rail == null || inRail(pid.substring(bar + 1), rail));
        }).toList();
    }

    private static List<String> candidates(String text) {
        try {
            if (text.contains("|")) {
                return List.of(text);
            }
            if (text.contains(":")) {
                return List.of(EntityAddress.parse(text).persistenceId());
            }
            return Stream.of(EntityKind.values()).map(k -> EntityAddress.of(k, text).persistenceId()).toList();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** A rail instance is the entity id up to its first dot; a rail name matches its timestamped instances. */
    static boolean inRail(String entityId, String rail) {
        int dot = entityId.indexOf('.');
        String instance = dot < 0 ? entityId : entityId.substring(0, dot);
        return instance.equals(rail) || instance.startsWith(rail + "-");
    }

    private static Set<String> allIds(JournalRows rows) {
        try {
            return rows.persistenceIds();
        } catch (InvalidQueryException e) {
            return Set.of(); // no journal table yet: nothing was ever written to this keyspace
        } catch (AllNodesFailedException e) {
            throw new UserError(ExitCodes.CASSANDRA_UNAVAILABLE, "Cassandra stopped answering: " + e.getMessage());
        }
    }

    private Totals verifyAll(JournalRows rows, List<String> journals, TrustedNodes trust, PrintWriter out,
            PrintWriter err) {
        int checked = 0;
        int broken = 0;
        long totalRows = 0;
        long lastProgress = System.nanoTime();
        for (int i = 0; i < journals.size(); i++) {
            String pid = journals.get(i);
            Verification v;
            try {
                Iterator<JournalRow> it = rows.rows(pid);
                if (!it.hasNext()) {
                    continue;
                }
                v = JournalVerifier.verify(pid, it, trust);
            } catch (InvalidQueryException e) {
                continue; // no journal table yet
            } catch (AllNodesFailedException e) {
                throw new UserError(ExitCodes.CASSANDRA_UNAVAILABLE, "Cassandra stopped answering while reading "
                        + pid + ": " + e.getMessage());
            } catch (DriverException e) {
                throw new UserError(ExitCodes.FAILURE, "reading the journal " + pid + " failed: " + e.getMessage());
            }
            checked++;
            totalRows += v.rows();
            if (!v.intact()) {
                broken++;
            }
            print(v, out);
            if (journals.size() > 1 && System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
                err.println("... " + (i + 1) + "/" + journals.size() + " journals checked, " + broken + " broken");
                lastProgress = System.nanoTime();
            }
        }
        return new Totals(checked, broken, totalRows);
    }

    private void print(Verification v, PrintWriter out) {
        if (json) {
            out.println(toJson(v));
            return;
        }
        String counts = v.rows() + " events, " + v.checkpoints() + " checkpoint" + (v.checkpoints() == 1 ? "" : "s");
        if (v.intact()) {
            String tail = v.checkpoints() == 0 ? "no checkpoint yet: hash chain only"
                    : v.tailEvents() + " after the last checkpoint (hash chain only)";
            out.println("OK      " + v.persistenceId() + "  " + counts + ", " + tail);
            v.findings().stream().filter(f -> f.kind() != Finding.Kind.TAIL)
                    .forEach(f -> out.println("          warning: " + f.message()));
            return;
        }
        out.println(String.format("BROKEN  %s  %s", v.persistenceId(), v.firstError().map(Finding::message).orElse("")));
        out.println("          " + counts + ", " + v.errors() + " error" + (v.errors() == 1 ? "" : "s") + ":");
        for (Finding f : v.findings()) {
            out.println("          " + (f.isError() ? "error:   " : "warning: ") + f.message());
        }
        long shown = v.findings().stream().filter(Finding::isError).count();
        if (v.errors() > shown) {
            out.println("          ... and " + (v.errors() - shown) + " more errors");
        }
    }

    private static String toJson(Verification v) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "journal");
        node.put("persistenceId", v.persistenceId());
        node.put("verdict", v.verdict().name());
        node.put("events", v.rows());
        node.put("checkpoints", v.checkpoints());
        node.put("tailEvents", v.tailEvents());
        node.put("errors", v.errors());
        v.firstError().ifPresentOrElse(f -> node.set("firstError", toJson(f)), () -> node.putNull("firstError"));
        ArrayNode findings = node.putArray("findings");
        v.findings().forEach(f -> findings.add(toJson(f)));
        return node.toString();
    }

    private static ObjectNode toJson(Finding f) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", f.sequenceNr());
        node.put("kind", f.kind().name());
        node.put("severity", f.severity().name());
        node.put("message", f.message());
        return node;
    }

    private void summary(Totals totals, TrustedNodes trust, Path trustFile, PrintWriter out) {
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("type", "summary");
            node.put("journals", totals.journals());
            node.put("intact", totals.journals() - totals.broken());
            node.put("broken", totals.broken());
            node.put("events", totals.rows());
            node.put("trustedNodes", trust.size());
            out.println(node);
            return;
        }
        out.println("Verified " + totals.journals() + " journal" + (totals.journals() == 1 ? "" : "s") + " ("
                + totals.rows() + " events): " + (totals.journals() - totals.broken()) + " intact, "
                + totals.broken() + " BROKEN.");
        if (trust.isEmpty()) {
            out.println("Note: no trusted node keys (" + trustFile + " is missing or empty): checkpoint signatures "
                    + "were checked, but not who made them. Pass --trust-node DID or list node DIDs in that file.");
        }
    }

    private String describeSelection() {
        if (selection != null && selection.entity != null) {
            return "for " + selection.entity;
        }
        return selection != null && selection.rail != null ? "of rail " + selection.rail : "of any entity";
    }
}
