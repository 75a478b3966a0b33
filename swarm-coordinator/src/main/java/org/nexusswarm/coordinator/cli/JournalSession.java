package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.memory.journal.TimelineQuery;

/**
 * What the {@code journal} commands read with: the Cassandra connection and a local (non-cluster) actor system
 * carrying the Cassandra read journal, closed together. Also the shared parsing of time options and the
 * translation of read failures into one-line errors.
 */
final class JournalSession implements AutoCloseable {

    private final Config config;
    private final CassandraConnection connection;
    private final ActorSystem<Void> system;

    private JournalSession(Config config, CassandraConnection connection, ActorSystem<Void> system) {
        this.config = config;
        this.connection = connection;
        this.system = system;
    }

    /** Connects (progress goes to {@code progress}, keeping standard output for results). */
    static JournalSession open(Config config, PrintWriter progress) {
        CassandraConnection connection = CassandraConnection.open(config, false, progress);
        try {
            Config readerConfig = connection.apply(config)
                    .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"));
            return new JournalSession(config, connection,
                    ActorSystem.create(Behaviors.empty(), "nexus-journal", readerConfig));
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    ActorSystem<Void> system() {
        return system;
    }

    private String pluginId() {
        return config.getString("nexus.swarm.memory.read-journal-plugin-id");
    }

    JournalReader reader() {
        return new JournalReader(system, pluginId());
    }

    TimelineQuery timeline() {
        return TimelineQuery.over(system, pluginId());
    }

    String describe() {
        return connection.describe(config);
    }

    /**
     * Waits for a read. A keyspace or table that does not exist yet (nothing was ever journaled there) counts
     * as empty and yields {@code whenMissing}; any other failure becomes a one-line error naming {@code what}.
     */
    <T> T await(CompletionStage<T> read, Duration timeout, String what, T whenMissing) {
        try {
            return read.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = String.valueOf(cause.getMessage());
            if (message.contains("does not exist") || message.contains("unconfigured table")) {
                return whenMissing;
            }
            throw new UserError(ExitCodes.FAILURE, "reading " + what + " failed: " + cause.getClass().getSimpleName()
                    + ": " + message);
        } catch (TimeoutException e) {
            throw new UserError(ExitCodes.FAILURE, "reading " + what + " took longer than " + timeout.toSeconds()
                    + " s; narrow the query (--rail, --kind) or check Cassandra");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(ExitCodes.FAILURE, "interrupted while reading " + what);
        }
    }

    /** Parses a time option (see {@link JournalArguments#time}); null stays null; bad text is a usage error. */
    static Instant instant(String option, String text) {
        return JournalArguments.time(option, text, Instant.now());
    }

    /** Checks a window's order; a usage error when it ends before it starts. */
    static void checkWindow(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new UserError(ExitCodes.USAGE, "--from " + from + " is after --to " + to);
        }
    }

    /** How a window reads in messages: "between A and B", "since A", "until B". */
    static String window(Instant from, Instant to) {
        if (from != null && to != null) {
            return "between " + from + " and " + to;
        }
        return from != null ? "since " + from : to != null ? "until " + to : "at any time";
    }

    @Override
    public void close() {
        try {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The reading is done; a slow shutdown of the local reader system must not turn success into failure.
        } finally {
            connection.close();
        }
    }
}
