package org.nexusswarm.clusterconfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A single-node Cassandra 5.0 on 127.0.0.1 for development and integration tests, run as a
 * separate JVM (Cassandra calls {@code System.exit} and owns global state, so never in-process).
 *
 * <p>{@link #startOrReuse} reuses the Cassandra already running from the same data directory (found
 * through a state file there), or starts one and waits until its CQL port accepts connections.
 * Launchers of the same directory are serialised by a file lock, across JVMs too.
 *
 * <p>Caveats:
 * <ul>
 *   <li>The server classpath is the {@code cassandra.classpath} resource written by this module's
 *       build; it points into the local Maven repository of the machine that built it.</li>
 *   <li>A non-ephemeral Cassandra outlives the launching JVM unless {@link #close()} is called, and
 *       {@code close()} stops it even if other processes reuse it. Where {@code setsid} exists it
 *       runs in its own session, so a Ctrl-C in the launcher's terminal does not reach it.</li>
 *   <li>An ephemeral Cassandra is tied to the launching JVM: stopped by a shutdown hook, and halted
 *       by its watchdog ({@link CassandraWatchdogMain}) within about 5 s if that JVM is killed.</li>
 *   <li>Not for production: no authentication, one node, periodic commitlog sync.</li>
 * </ul>
 */
public final class DevCassandra implements AutoCloseable {

    /** Datacenter name the driver needs as its local datacenter (Cassandra's SimpleSnitch reports it). */
    public static final String LOCAL_DATACENTER = "datacenter1";

    static final int LOG_TAIL_LINES = 15;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    private static final long POLL_INTERVAL_MS = 200;
    /** FileLock is per JVM, not per thread: threads of this JVM queue here first. */
    private static final Object LAUNCH_LOCK = new Object();

    private final CassandraDataDir dir;
    private final RunningCassandra instance;
    private final ProcessHandle process;
    private final boolean startedByUs;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DevCassandra(CassandraDataDir dir, RunningCassandra instance, ProcessHandle process,
                         boolean startedByUs, Thread shutdownHook) {
        this.dir = dir;
        this.instance = instance;
        this.process = process;
        this.startedByUs = startedByUs;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Reuses the Cassandra running from {@code settings.dataDir()}, or starts one and blocks until
     * it accepts CQL connections (at most {@code settings.startupTimeout()}).
     *
     * @param progress receives human-readable progress lines (about one per second while waiting)
     * @throws CassandraLaunchException with a user-readable message if the data directory is not
     *         writable, a configured port is taken, the server classpath is missing, or Cassandra
     *         exits or times out during startup (then with the log tail)
     */
    public static DevCassandra startOrReuse(CassandraSettings settings, Consumer<String> progress) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(progress, "progress");
        CassandraDataDir dir = CassandraDataDir.prepare(settings.dataDir());
        return underLauncherLock(dir, progress,
                () -> reuse(settings, dir, progress).orElseGet(() -> launch(settings, dir, progress)));
    }

    /** The Cassandra running from {@code dataDir}: recorded there, process alive, CQL port accepting. */
    public static Optional<RunningCassandra> running(Path dataDir) {
        CassandraDataDir dir = CassandraDataDir.at(dataDir);
        return dir.readState()
                .filter(r -> liveCassandraProcess(r.pid()).isPresent())
                .filter(r -> Ports.accepts(r.contactPoint(), CONNECT_TIMEOUT));
    }

    /**
     * Stops the Cassandra recorded in {@code dataDir} (SIGTERM, then SIGKILL after 30 s) and removes
     * the state file.
     *
     * @return whether a running Cassandra was found and stopped
     */
    public static boolean stop(Path dataDir) {
        CassandraDataDir dir = CassandraDataDir.at(dataDir);
        Optional<RunningCassandra> recorded = dir.readState();
        if (recorded.isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> process = liveCassandraProcess(recorded.get().pid());
        process.ifPresent(p -> terminate(p, STOP_GRACE));
        dir.deleteState();
        return process.isPresent();
    }

    /** Where CQL clients connect (127.0.0.1 and the native port). */
    public InetSocketAddress contactPoint() {
        return instance.contactPoint();
    }

    /** False if an already running Cassandra was reused; then {@link #close()} leaves it running. */
    public boolean startedByUs() {
        return startedByUs;
    }

    public Path dataDir() {
        return dir.root();
    }

    /** Stdout and stderr of the Cassandra JVM. */
    public Path logFile() {
        return dir.logFile();
    }

    /** Process id of the Cassandra JVM. */
    public long pid() {
        return instance.pid();
    }

    /**
     * Stops Cassandra if this object started it: SIGTERM, up to 30 s for a clean shutdown, then
     * SIGKILL; removes the state file. Does nothing for a reused instance. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || !startedByUs) {
            return;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running and does the same.
            }
        }
        terminate(process, STOP_GRACE);
        deleteOwnState();
    }

    @Override
    public String toString() {
        return "DevCassandra[pid=" + pid() + ", cql=127.0.0.1:" + instance.nativePort()
                + ", dataDir=" + dir.root() + ", startedByUs=" + startedByUs + "]";
    }

    private static <T> T underLauncherLock(CassandraDataDir dir, Consumer<String> progress, Supplier<T> action) {
        synchronized (LAUNCH_LOCK) {
            try (FileChannel channel = FileChannel.open(dir.lockFile(),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    progress.accept("  another process is starting Cassandra in " + dir.root() + ", waiting for it ...");
                    lock = channel.lock();
                }
                try {
                    return action.get();
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw new CassandraLaunchException("Could not lock " + dir.lockFile() + " ("
                        + CassandraDataDir.describe(e) + ").", e);
            }
        }
    }

    private static Optional<DevCassandra> reuse(CassandraSettings settings, CassandraDataDir dir,
                                                Consumer<String> progress) {
        Optional<RunningCassandra> recorded = dir.readState();
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        RunningCassandra found = recorded.get();
        Optional<ProcessHandle> process = liveCassandraProcess(found.pid());
        if (process.isEmpty()) {
            dir.deleteState();
            return Optional.empty();
        }
        if (!Ports.accepts(found.contactPoint(), CONNECT_TIMEOUT)) {
            // Alive but not serving: its launcher died mid-startup, or it hangs. Give it the startup time.
            progress.accept("Cassandra (pid " + found.pid() + ") from " + dir.root()
                    + " is running but not accepting CQL yet; waiting for it.");
            try {
                awaitReady(process.get(), null, found.contactPoint(), settings.startupTimeout(), dir, progress);
            } catch (CassandraLaunchException e) {
                if (!process.get().isAlive()) {
                    dir.deleteState();
                    throw e;
                }
                throw new CassandraLaunchException(e.getMessage() + "\nIt was started earlier and is still running"
                        + " (pid " + found.pid() + "): stop it with DevCassandra.stop(" + dir.root() + ")"
                        + " or `kill " + found.pid() + "`, then retry.", e);
            }
        }
        if (settings.nativePort() != 0 && settings.nativePort() != found.nativePort()) {
            progress.accept("Note: the running Cassandra uses CQL port " + found.nativePort()
                    + ", not the configured " + settings.nativePort() + "; stop it to change the port.");
        }
        progress.accept("Reusing Cassandra (pid " + found.pid() + ") on 127.0.0.1:" + found.nativePort()
                + " from " + dir.root());
        return Optional.of(new DevCassandra(dir, found, process.get(), false, null));
    }

    private static DevCassandra launch(CassandraSettings settings, CassandraDataDir dir, Consumer<String> progress) {
        int[] ports = resolvePorts(settings, dir, progress);
        int nativePort = ports[0];
        int storagePort = ports[1];
        int jmxPort = freePortExcluding(Set.of(nativePort, storagePort));
        List<Path> classpath = CassandraCommand.serverClasspath();
        List<String> command = CassandraCommand.build(settings, dir, jmxPort, classpath, ProcessHandle.current().pid());

        Process process;
        try {
            dir.writeString(dir.yamlFile(), CassandraConfigFiles.cassandraYaml(settings, dir, nativePort, storagePort));
            dir.writeString(dir.logbackFile(), CassandraConfigFiles.logbackXml());
            dir.rotateLog();
            progress.accept("Starting Cassandra on 127.0.0.1:" + nativePort + " (data " + dir.root()
                    + ", log " + dir.logFile() + ")");
            process = new ProcessBuilder(command)
                    .directory(dir.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new CassandraLaunchException("Could not start the Cassandra JVM (" + CassandraDataDir.describe(e)
                    + "). Command: " + String.join(" ", command.subList(0, Math.min(3, command.size()))) + " ...", e);
        }

        RunningCassandra started = new RunningCassandra(
                process.pid(), nativePort, storagePort, jmxPort, dir.root(), settings.ephemeral());
        Thread hook = settings.ephemeral() ? ephemeralShutdownHook(process.toHandle(), dir) : null;
        DevCassandra cassandra = new DevCassandra(dir, started, process.toHandle(), true, hook);
        try {
            closeQuietly(process);
            dir.writeState(started);
            Duration took = awaitReady(process.toHandle(), process, started.contactPoint(),
                    settings.startupTimeout(), dir, progress);
            progress.accept(String.format(Locale.ROOT, "Cassandra ready on 127.0.0.1:%d after %.1fs (pid %d)",
                    nativePort, took.toMillis() / 1000.0, process.pid()));
            return cassandra;
        } catch (RuntimeException e) {
            cassandra.kill();
            throw e;
        }
    }

    /** Cassandra reads no input; an open pipe from this JVM would only be a dangling handle. */
    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // The pipe is gone either way.
        }
    }

    /**
     * The {native, storage} ports for this start: configured ones must be free; 0 means the port
     * remembered in the data directory if it is still free, else a new free one. Non-ephemeral
     * choices are remembered for the next run.
     */
    static int[] resolvePorts(CassandraSettings settings, CassandraDataDir dir, Consumer<String> progress) {
        int[] remembered = settings.ephemeral() ? new int[2] : dir.rememberedPorts();
        Set<Integer> taken = new HashSet<>();
        int nativePort = resolvePort(settings.nativePort(), remembered[0], "CQL (native transport)",
                "choose another one with --cassandra-port", taken, progress);
        int storagePort = resolvePort(settings.storagePort(), remembered[1], "storage (internode)",
                "choose another storage port in CassandraSettings", taken, progress);
        if (!settings.ephemeral() && (nativePort != remembered[0] || storagePort != remembered[1])) {
            dir.rememberPorts(nativePort, storagePort);
        }
        return new int[] {nativePort, storagePort};
    }

    private static int resolvePort(int configured, int remembered, String role, String alternative,
                                   Set<Integer> taken, Consumer<String> progress) {
        int port;
        if (configured != 0) {
            if (!Ports.isFree(configured)) {
                throw new CassandraLaunchException("Port " + configured + " on 127.0.0.1, configured as the Cassandra "
                        + role + " port, is already in use by another process (not a Cassandra started from this"
                        + " data directory). Free port " + configured + " (`ss -ltnp 'sport = :" + configured
                        + "'` shows who holds it) or " + alternative + ".");
            }
            port = configured;
        } else if (remembered != 0 && !taken.contains(remembered) && Ports.isFree(remembered)) {
            port = remembered;
        } else {
            port = freePortExcluding(taken);
            if (remembered != 0) {
                progress.accept("  the " + role + " port " + remembered + " used before is taken now; using " + port);
            }
        }
        taken.add(port);
        return port;
    }

    private static int freePortExcluding(Set<Integer> excluded) {
        while (true) {
            int port = Ports.chooseFree(1)[0];
            if (!excluded.contains(port)) {
                return port;
            }
        }
    }

    /** Polls the CQL port until it accepts; returns the time it took. */
    private static Duration awaitReady(ProcessHandle handle, Process process, InetSocketAddress address,
                                       Duration timeout, CassandraDataDir dir, Consumer<String> progress) {
        long start = System.nanoTime();
        long nextReportSeconds = 1;
        while (true) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            // Process#isAlive, when we have it, knows about exits the OS still lists as zombies.
            boolean alive = process != null ? process.isAlive() : handle.isAlive();
            if (!alive) {
                throw new CassandraLaunchException("Cassandra exited during startup" + exitCode(process)
                        + " after " + elapsed.toSeconds() + "s.\n" + logExcerpt(dir));
            }
            if (Ports.accepts(address, CONNECT_TIMEOUT)) {
                return elapsed;
            }
            if (elapsed.compareTo(timeout) >= 0) {
                throw new CassandraLaunchException("Cassandra did not accept CQL connections on 127.0.0.1:"
                        + address.getPort() + " within " + timeout.toSeconds() + "s."
                        + " If the machine is just slow, raise the startup timeout.\n" + logExcerpt(dir));
            }
            if (elapsed.toSeconds() >= nextReportSeconds) {
                progress.accept("  waiting for Cassandra on 127.0.0.1:" + address.getPort() + " ... "
                        + elapsed.toSeconds() + "s");
                nextReportSeconds = elapsed.toSeconds() + 1;
            }
            try {
                Thread.sleep(POLL_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CassandraLaunchException("Interrupted while waiting for Cassandra to start.", e);
            }
        }
    }

    private static String exitCode(Process process) {
        if (process == null) {
            return "";
        }
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? " with exit code " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String logExcerpt(CassandraDataDir dir) {
        return "Last lines of " + dir.logFile() + ":\n" + dir.logTail(LOG_TAIL_LINES)
                + "\nFull log: " + dir.logFile();
    }

    /** The process if it is alive and, as far as the OS tells, a Cassandra (pids get reused). */
    static Optional<ProcessHandle> liveCassandraProcess(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(CassandraCommand::isOurCassandra).orElse(true));
    }

    /** Ephemeral data is throw-away, so the hook kills at once instead of a clean shutdown. */
    private static Thread ephemeralShutdownHook(ProcessHandle process, CassandraDataDir dir) {
        Thread hook = new Thread(() -> {
            process.destroyForcibly();
            awaitExit(process, KILL_WAIT);
            dir.deleteState();
        }, "ephemeral-cassandra-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Immediate stop after a failed start; nothing worth a clean shutdown was written yet. */
    private void kill() {
        if (closed.compareAndSet(false, true)) {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is already running and does the same.
                }
            }
            process.destroyForcibly();
            awaitExit(process, KILL_WAIT);
            deleteOwnState();
        }
    }

    private void deleteOwnState() {
        if (dir.readState().map(r -> r.pid() == instance.pid()).orElse(false)) {
            dir.deleteState();
        }
    }

    private static void terminate(ProcessHandle process, Duration grace) {
        process.destroy();
        if (!awaitExit(process, grace)) {
            process.destroyForcibly();
            if (!awaitExit(process, KILL_WAIT)) {
                throw new CassandraLaunchException("Cassandra (pid " + process.pid()
                        + ") did not exit even after SIGKILL; check it with `ps -p " + process.pid() + "`.");
            }
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
