package org.nexusswarm.clusterconfig;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Layout of a dev Cassandra data directory and the launcher's files in it.
 *
 * <pre>
 *   cassandra.yaml, logback.xml    generated on every start
 *   cassandra.state                pid and ports of the running instance; removed when it is stopped
 *   cassandra.ports                ports chosen for settings of 0, kept between runs
 *   launcher.lock                  serialises launchers of the same directory across JVMs
 *   logs/cassandra.log(.1)         stdout+stderr of the Cassandra JVM, previous run in .1
 *   data/ commitlog/ saved_caches/ hints/   Cassandra's own
 * </pre>
 */
final class CassandraDataDir {

    private static final String NATIVE_PORT = "native_port";
    private static final String STORAGE_PORT = "storage_port";

    private final Path root;

    private CassandraDataDir(Path root) {
        this.root = root;
    }

    /** Wraps an existing or not-yet-created directory without touching the disk. */
    static CassandraDataDir at(Path root) {
        return new CassandraDataDir(root.toAbsolutePath().normalize());
    }

    /** Creates the directory tree and proves it is writable, or explains why not. */
    static CassandraDataDir prepare(Path root) {
        CassandraDataDir dir = at(root);
        try {
            Files.createDirectories(dir.root);
            Files.createDirectories(dir.logsDir());
            Path probe = Files.createTempFile(dir.root, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            String reason = existingAncestor(dir.root)
                    .filter(ancestor -> !Files.isDirectory(ancestor))
                    .map(file -> file + " is a file, not a directory")
                    .orElseGet(() -> describe(e));
            throw new CassandraLaunchException("Cassandra data directory " + dir.root
                    + " cannot be created or is not writable (" + reason + ")."
                    + " Choose a directory you can write to, or fix its permissions.", e);
        }
        return dir;
    }

    private static Optional<Path> existingAncestor(Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    Path root() {
        return root;
    }

    Path yamlFile() {
        return root.resolve("cassandra.yaml");
    }

    Path logbackFile() {
        return root.resolve("logback.xml");
    }

    Path stateFile() {
        return root.resolve("cassandra.state");
    }

    Path portsFile() {
        return root.resolve("cassandra.ports");
    }

    Path lockFile() {
        return root.resolve("launcher.lock");
    }

    Path logsDir() {
        return root.resolve("logs");
    }

    Path logFile() {
        return logsDir().resolve("cassandra.log");
    }

    Path dataFilesDir() {
        return root.resolve("data");
    }

    Path commitlogDir() {
        return root.resolve("commitlog");
    }

    Path savedCachesDir() {
        return root.resolve("saved_caches");
    }

    Path hintsDir() {
        return root.resolve("hints");
    }

    /** The recorded instance, whether or not it is still alive; empty if none or unreadable. */
    Optional<RunningCassandra> readState() {
        return readProperties(stateFile()).flatMap(p -> {
            try {
                return Optional.of(new RunningCassandra(
                        Long.parseLong(p.getProperty("pid")),
                        Integer.parseInt(p.getProperty(NATIVE_PORT)),
                        Integer.parseInt(p.getProperty(STORAGE_PORT)),
                        Integer.parseInt(p.getProperty("jmx_port")),
                        root,
                        Boolean.parseBoolean(p.getProperty("ephemeral"))));
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        });
    }

    void writeState(RunningCassandra running) {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(running.pid()));
        p.setProperty(NATIVE_PORT, Integer.toString(running.nativePort()));
        p.setProperty(STORAGE_PORT, Integer.toString(running.storagePort()));
        p.setProperty("jmx_port", Integer.toString(running.jmxPort()));
        p.setProperty("ephemeral", Boolean.toString(running.ephemeral()));
        writeProperties(stateFile(), p, "Cassandra started by DevCassandra; removed when it is stopped");
    }

    void deleteState() {
        try {
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports remembered by an earlier run: {native, storage}, either may be 0 if unknown. */
    int[] rememberedPorts() {
        Properties p = readProperties(portsFile()).orElseGet(Properties::new);
        return new int[] {parsePort(p.getProperty(NATIVE_PORT)), parsePort(p.getProperty(STORAGE_PORT))};
    }

    void rememberPorts(int nativePort, int storagePort) {
        Properties p = new Properties();
        p.setProperty(NATIVE_PORT, Integer.toString(nativePort));
        p.setProperty(STORAGE_PORT, Integer.toString(storagePort));
        writeProperties(portsFile(), p, "Ports chosen by DevCassandra for this data directory; delete to choose new ones");
    }

    /** Keeps the previous run's log as {@code cassandra.log.1} so a fresh start's tail is its own. */
    void rotateLog() throws IOException {
        if (Files.exists(logFile())) {
            Files.move(logFile(), logsDir().resolve("cassandra.log.1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The last {@code lines} lines of the Cassandra log, or a note saying why there are none. */
    String logTail(int lines) {
        if (!Files.exists(logFile())) {
            return "    (no log written yet)";
        }
        Deque<String> tail = new ArrayDeque<>(lines);
        // Lenient decoding: a crashing JVM can leave a half-written multi-byte character.
        try (Stream<String> all = Files.lines(logFile(), StandardCharsets.ISO_8859_1)) {
            all.forEach(line -> {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException | UncheckedIOException e) {
            return "    (could not read the log: " + e.getMessage() + ")";
        }
        if (tail.isEmpty()) {
            return "    (log is empty)";
        }
        StringBuilder out = new StringBuilder();
        for (String line : tail) {
            out.append("    ").append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    void writeString(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeProperties(Path file, Properties p, String comment) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, comment);
            }
            // Atomic, so a concurrent reader never sees a half-written file.
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CassandraLaunchException("Could not write " + file + ": " + describe(e), e);
        }
    }

    private static Optional<Properties> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int parsePort(String value) {
        try {
            int port = value == null ? 0 : Integer.parseInt(value.trim());
            return port > 0 && port <= 65_535 ? port : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " exists and is not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getFile() + ": " + fse.getReason();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
