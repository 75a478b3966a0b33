package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.memory.journal.TimelineFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code swarm journal ...}: read episode journals back from Cassandra. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Read episode journals from Cassandra.",
        subcommands = {JournalCommand.Show.class, JournalReplayCommand.Replay.class, JournalReplayCommand.WhatIf.class})
final class JournalCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a subcommand, e.g. 'journal show'");
    }

    /** {@code swarm journal show ENTITY}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print one entity's journal: sequence number, time, event type, details, hash-chain check.")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "ENTITY",
                description = "kind:id (e.g. agent:drought-watch.agent-099) or just the id to search every kind.")
        String entity;

        @Mixin
        CassandraOptions cassandra;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;


        @Override
        public Integer call() throws Exception {
            List<EntityAddress> candidates = candidates(entity);
            Config config = cassandra.loadConfig();
            PrintWriter out = spec.commandLine().getOut();
            try (CassandraConnection connection = CassandraConnection.open(config, false, spec.commandLine().getErr())) {
                Config readerConfig = connection.apply(config)
                        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"));
                ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "nexus-journal", readerConfig);
                try {
                    JournalReader reader = new JournalReader(system,
                            config.getString("nexus.swarm.memory.read-journal-plugin-id"));
                    for (EntityAddress address : candidates) {
                        List<JournalEntry> journal = read(reader, address, config);
                        if (!journal.isEmpty()) {
                            print(address, journal, out);
                            return ExitCodes.OK;
                        }
                    }
                } finally {
                    system.terminate();
                    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                throw new UserError(ExitCodes.NOT_FOUND, "no journal for " + entity + " in "
                        + connection.describe(config) + ". Run './swarm demo' first, or check the entity id "
                        + "(e.g. agent:drought-watch.agent-099).");
            }
        }

        private static List<EntityAddress> candidates(String text) {
            if (text.contains(":")) {
                try {
                    return List.of(EntityAddress.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCodes.USAGE, e.getMessage());
                }
            }
            return Arrays.stream(EntityKind.values()).map(k -> EntityAddress.of(k, text)).toList();
        }

        private static List<JournalEntry> read(JournalReader reader, EntityAddress address, Config config)
                throws Exception {
            try {
                return reader.readAll(address.persistenceId()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                String message = String.valueOf(e.getCause().getMessage());
                if (message.contains("does not exist") || message.contains("unconfigured table")) {
                    return List.of();
                }
                throw new UserError(ExitCodes.FAILURE, "reading the journal of " + address + " failed: " + message);
            }
        }

        private static void print(EntityAddress address, List<JournalEntry> journal, PrintWriter out) {
            out.println("Journal of " + address + " (persistence id " + address.persistenceId() + "), "
                    + journal.size() + " events");
            out.println(TimelineFormatter.header());
            journal.forEach(e -> out.println(TimelineFormatter.line(e)));
            long broken = journal.stream().filter(e -> !e.chainIntact()).count();
            out.println(broken == 0 ? "Hash chain intact over all " + journal.size() + " events."
                    : "Hash chain BROKEN at " + broken + " event(s): the journal was altered.");
        }
    }
}
