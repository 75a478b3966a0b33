package org.nexusswarm.memory.verify;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import scala.util.Try;

/**
 * Reads a journal's rows exactly as stored in pekko-persistence-cassandra's {@code messages} table, with the
 * DataStax driver, bypassing the plugin's replay. A verifier must see what is really there: the plugin's
 * replay skips or fails on rows it does not like, while here every row, even one that no longer
 * deserializes, comes back as a {@link JournalRow}.
 *
 * <p>Schema (plugin 1.1.0): primary key {@code ((persistence_id, partition_nr), sequence_nr, timestamp)},
 * {@code partition_nr = (sequence_nr - 1) / target-partition-size}; the event bytes are {@code event}, written
 * by the serializer {@code ser_id} with manifest {@code ser_manifest}. Rows are read partition by partition,
 * one driver page at a time, so a journal of any length streams. A partition that returns nothing ends the
 * journal, after one look at the next partition (a write batch may have left a partition empty).
 *
 * <p>Blocking: call it from a command-line or test thread, never from an actor.
 */
public final class JournalRows {

    /** The plugin's configuration path (its session and journal settings live under it). */
    public static final String PLUGIN_PATH = "pekko.persistence.cassandra";
    private static final long READ_TIMEOUT_SECONDS = 60;
    private static final int PAGE_SIZE = 1000;

    private final CqlSession session;
    private final String table;
    private final long partitionSize;
    private final Serialization serialization;
    private PreparedStatement selectPartition;

    public JournalRows(CqlSession session, String keyspace, String table, long partitionSize,
            Serialization serialization) {
        this.session = session;
        this.table = keyspace + "." + table;
        this.partitionSize = partitionSize;
        this.serialization = serialization;
    }

    /** Rows over {@code session} with the journal plugin's keyspace, table and partition size from {@code system}. */
    public static JournalRows of(CqlSession session, ActorSystem<?> system) {
        Config journal = system.settings().config().getConfig(PLUGIN_PATH + ".journal");
        return new JournalRows(session, journal.getString("keyspace"), journal.getString("table"),
                journal.getLong("target-partition-size"), SerializationExtension.get(Adapter.toClassic(system)));
    }

    /**
     * Rows over the plugin's own driver session (same contact points, data center and credentials as the
     * journal). Throws if Cassandra cannot be reached within {@code timeout}.
     */
    public static JournalRows open(ActorSystem<?> system, Duration timeout) throws Exception {
        return of(pluginSession(system, timeout), system);
    }

    /** The journal plugin's own driver session (for tools that write or read the plugin's tables directly). */
    public static CqlSession pluginSession(ActorSystem<?> system, Duration timeout) throws Exception {
        return CassandraSessionRegistry.get(Adapter.toClassic(system)).sessionFor(PLUGIN_PATH)
                .underlying().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every persistence id with rows in the table, sorted (read from the table itself, not an index of it). */
    public SortedSet<String> persistenceIds() {
        SortedSet<String> ids = new TreeSet<>();
        ResultSet partitions = session.execute(SimpleStatement
                .newInstance("SELECT DISTINCT persistence_id, partition_nr FROM " + table).setPageSize(PAGE_SIZE));
        for (Row row : partitions) {
            ids.add(row.getString("persistence_id"));
        }
        return ids;
    }

    /** The rows of {@code persistenceId} in storage order, fetched lazily page by page. */
    public Iterator<JournalRow> rows(String persistenceId) {
        if (selectPartition == null) {
            selectPartition = session.prepare("SELECT sequence_nr, ser_id, ser_manifest, event FROM " + table
                    + " WHERE persistence_id = ? AND partition_nr = ?");
        }
        return new RowIterator(persistenceId);
    }

    /** The partition of the plugin's layout that holds {@code sequenceNr}. */
    public long partitionOf(long sequenceNr) {
        return (sequenceNr - 1) / partitionSize;
    }

    private JournalRow toRow(Row row) {
        long seq = row.getLong("sequence_nr");
        int serializerId = row.getInt("ser_id");
        String manifest = row.getString("ser_manifest");
        ByteBuffer buffer = row.getByteBuffer("event");
        if (buffer == null) {
            return new JournalRow.Unreadable(seq, serializerId, manifest, "the row holds no event bytes");
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        try {
            Try<Object> event = serialization.deserialize(bytes, serializerId, manifest == null ? "" : manifest);
            if (event.isSuccess()) {
                return new JournalRow.Event(seq, event.get());
            }
            return new JournalRow.Unreadable(seq, serializerId, manifest, describe(event.failed().get()));
        } catch (RuntimeException | LinkageError e) {
            return new JournalRow.Unreadable(seq, serializerId, manifest, describe(e));
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }

    /**
     * Walks partition 0, 1, ... of one journal; stops after two empty partitions in a row. The next page of a
     * partition is requested as soon as the current one arrives, so Cassandra reads while the caller verifies
     * (a plain synchronous result set would fetch only when a page runs out, leaving both sides idle in turn).
     */
    private final class RowIterator implements Iterator<JournalRow> {
        private final String persistenceId;
        private long partition;
        private AsyncResultSet page;
        private java.util.concurrent.CompletionStage<AsyncResultSet> nextPage;
        private Iterator<Row> rows;
        private boolean partitionHadRows;
        private int emptyInARow;
        private boolean done;

        RowIterator(String persistenceId) {
            this.persistenceId = persistenceId;
        }

        @Override
        public boolean hasNext() {
            while (!done && (rows == null || !rows.hasNext())) {
                if (nextPage != null) {
                    start(await(nextPage));
                    continue;
                }
                if (page != null) {
                    emptyInARow = partitionHadRows ? 0 : emptyInARow + 1;
                    if (emptyInARow == 2) {
                        done = true;
                        break;
                    }
                    partition++;
                }
                partitionHadRows = false;
                start(await(session.executeAsync(selectPartition.bind(persistenceId, partition)
                        .setPageSize(PAGE_SIZE))));
            }
            return !done;
        }

        private void start(AsyncResultSet arrived) {
            page = arrived;
            rows = arrived.currentPage().iterator();
            nextPage = arrived.hasMorePages() ? arrived.fetchNextPage() : null;
        }

        @Override
        public JournalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            partitionHadRows = true;
            return toRow(rows.next());
        }
    }

    private static AsyncResultSet await(java.util.concurrent.CompletionStage<AsyncResultSet> stage) {
        try {
            return stage.toCompletableFuture().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the journal", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cassandra did not answer a journal read within " + READ_TIMEOUT_SECONDS
                    + " s", e);
        }
    }
}
