package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.memory.evidence.CitedCredential;
import org.nexusswarm.memory.evidence.EvidencePackExporter;
import org.nexusswarm.memory.evidence.EvidencePackVerifier;
import org.nexusswarm.memory.evidence.ExportWindow;
import org.nexusswarm.memory.evidence.PolicyText;
import org.nexusswarm.memory.evidence.VerificationResult;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.safety.api.policy.Policies;
import org.nexusswarm.safety.api.policy.PolicyStoreEvent;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code swarm journal export --entity ID [--from T] [--to T] --out FILE}: writes a sealed evidence pack
 * (format nexus-aep/1, see {@code org.nexusswarm.memory.evidence}) of one entity's journal, read from
 * Cassandra like {@code journal show}. The window is widened to whole checkpoint ranges. The texts of the
 * policy versions the events cite are read from the policy stores' journals ({@code policy|<scope>}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a sealed Assurance & Evidence Pack (AEP) of one entity's journal: the events in the "
                + "window (widened to whole checkpoint ranges), their hash chain, the covering signed checkpoints, "
                + "the credentials and policy texts they cite. Check it anywhere with 'swarm aep verify FILE'.",
                "Exit 0 when written and the journal verifies, 8 when written but the journal does not verify, 4 when "
                        + "there is nothing to export.",
                "T is an ISO-8601 instant (2026-11-21T07:30:00Z, or with an offset: 2026-11-21T08:30:00+01:00), "
                        + "'now', or a time before now: -30s, -15m, -2h, -7d.",
                "Exit 4 when the entity has no journal or no event in the window."})
final class JournalExportCommand implements Callable<Integer> {


    @Option(names = "--entity", required = true, paramLabel = "ENTITY",
            description = "kind:id (e.g. agent:drought-watch.agent-099) or just the id to search every kind.")
    String entity;

    @Option(names = "--from", paramLabel = "T", description = "Start of the window (default: the journal's start).")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "End of the window, inclusive (default: now).")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the pack (JSON).")
    Path out;

    @Option(names = "--sign-key", paramLabel = "FILE",
            description = "Sign the seal with this Ed25519 key (same file format as --operator-key); optional.")
    Path signKey;

    @Mixin
    CassandraOptions cassandra;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Instant fromTime = from == null ? null : parseTime(from, now, "--from");
        Instant toTime = to == null ? null : parseTime(to, now, "--to");
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            throw new UserError(ExitCodes.USAGE, "--from " + fromTime + " is after --to " + toTime);
        }
        List<EntityAddress> candidates = candidates(entity);
        SwarmKeyPair key = signKey == null ? null : KillCommand.readKey(signKey, spec.commandLine().getErr());
        Config config = cassandra.loadConfig();
        PrintWriter err = spec.commandLine().getErr();
        try (CassandraConnection connection = CassandraConnection.open(config, false, err)) {
            Config readerConfig = connection.apply(config)
                    .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"));
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "nexus-export", readerConfig);
            try {
                JournalReader reader = new JournalReader(system,
                        config.getString("nexus.swarm.memory.read-journal-plugin-id"));
                ExportWindow found = null;
                for (EntityAddress address : candidates) {
                    ExportWindow w = collect(reader, system, address, fromTime, toTime);
                    if (w.seen() > 0) {
                        found = w;
                        break;
                    }
                }
                if (found == null) {
                    throw new UserError(ExitCodes.NOT_FOUND, "no journal for " + entity + " in "
                            + connection.describe(config) + ". Check the entity id (e.g. agent:drought-watch.agent-099).");
                }
                if (found.isEmpty()) {
                    throw new UserError(ExitCodes.NOT_FOUND, "no events of " + found.request().entity()
                            + " between " + (fromTime == null ? "the start" : fromTime) + " and "
                            + (toTime == null ? "now" : toTime) + ": its journal holds events " + found.firstSeenSeq()
                            + ".." + found.lastSeenSeq() + " from " + Instant.ofEpochMilli(found.firstSeenWallMillis())
                            + " to " + Instant.ofEpochMilli(found.lastSeenWallMillis()) + ".");
                }
                Map<String, PolicyText> policies = policyTexts(reader, found.citedPolicyVersions());
                byte[] pack = EvidencePackExporter.write(found, policies, key, now);
                write(pack);
                // A journal that does not verify is still exported (the pack is the evidence of it), but the
                // exit code says so, so scripts do not take it for a clean record.
                return report(found, policies, pack) ? ExitCodes.OK : ExitCodes.INVALID;
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ExportWindow collect(JournalReader reader, ActorSystem<?> system, EntityAddress address,
            Instant fromTime, Instant toTime) throws Exception {
        ExportWindow.Request request = new ExportWindow.Request(address.persistenceId(), address.toString(),
                fromTime, toTime);
        try {
            return EvidencePackExporter.collect(reader.stream(address.persistenceId()), request, credentials(), system)
                    .toCompletableFuture().get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            String message = String.valueOf(e.getCause().getMessage());
            if (message.contains("does not exist") || message.contains("unconfigured table")) {
                return EvidencePackExporter.collect(List.of(), request, CitedCredential.Citation.NONE);
            }
            throw new UserError(ExitCodes.INVALID, "cannot export " + address + ": reading its journal failed: "
                    + message);
        }
    }

    /** The credential a supervisor journals when its logic starts ({@code Started}; its hash covers the JSON's sha256). */
    private static CitedCredential.Citation credentials() {
        return e -> e instanceof SafetyEvent.Started s && s.credentialJson() != null && !s.credentialJson().isEmpty()
                ? Optional.of(new CitedCredential(s.credentialId(), s.credentialJson(), s.chronotope().sequence()))
                : Optional.empty();
    }

    /** Texts of the cited versions ({@code rail:x@3}), from each scope's policy store journal; missing ones left out. */
    private static Map<String, PolicyText> policyTexts(JournalReader reader, List<String> versions) throws Exception {
        Map<String, List<Long>> byScope = new HashMap<>();
        for (String version : versions) {
            int at = version.lastIndexOf('@');
            if (at > 0) {
                try {
                    byScope.computeIfAbsent(version.substring(0, at), s -> new java.util.ArrayList<>())
                            .add(Long.parseLong(version.substring(at + 1)));
                } catch (NumberFormatException e) {
                    // not a store version (e.g. a built-in policy): no text to include
                }
            }
        }
        Map<String, PolicyText> texts = new HashMap<>();
        for (Map.Entry<String, List<Long>> scope : byScope.entrySet()) {
            String persistenceId = Policies.storePersistenceId(scope.getKey());
            List<JournalEntry> journal;
            try {
                journal = reader.readAll(persistenceId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                continue; // no store journal: the pack says which texts are missing
            }
            for (JournalEntry entry : journal) {
                if (entry.event() instanceof PolicyStoreEvent p && scope.getValue().contains(p.version())) {
                    texts.put(p.scope() + "@" + p.version(), new PolicyText(p.text(), p.sha256()));
                }
            }
        }
        return texts;
    }

    private void write(byte[] pack) {
        Path target = out.toAbsolutePath();
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".aep-", ".tmp");
            Files.write(tmp, pack);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot write " + out + ": " + e.getMessage());
        }
    }

    /** Prints what was written; returns whether the exported journal verifies. */
    private boolean report(ExportWindow w, Map<String, PolicyText> policies, byte[] pack) {
        PrintWriter o = spec.commandLine().getOut();
        VerificationResult check = new EvidencePackVerifier(List.of()).verify(pack);
        o.println(check.describe());
        o.println("Written to " + out + " (" + pack.length + " bytes). Policy texts included: "
                + (policies.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(policies.keySet())))
                + (policies.size() < w.citedPolicyVersions().size() ? " (cited: "
                        + String.join(", ", w.citedPolicyVersions()) + ")" : "") + ".");
        check.errors().forEach(f -> o.println("  WARNING: the journal itself does not verify: " + f.message()));
        o.println("Check it anywhere with: swarm aep verify " + out);
        return check.errors().isEmpty();
    }

    /** An ISO-8601 instant (Z or offset), "now", or a relative time before {@code now} like -15m. */
    static Instant parseTime(String text, Instant now, String option) {
        return JournalArguments.time(option, text, now);
    }

    private static List<EntityAddress> candidates(String text) {
        return JournalArguments.candidates(text);
    }
}
