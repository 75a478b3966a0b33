package org.nexusswarm.coordinator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code swarm ...} run as its own JVM, as a user runs it, with no Cassandra: the journal is Pekko's in-memory
 * one and "Cassandra" is a listener that only accepts connections (the command line checks reachability, the
 * in-memory journal never talks CQL). What is tested is the process: its output, its exit code, its signals.
 */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;
    private final ServerSocket fakeCassandra;

    private NodeProcess(Process process, Path out, Path err, ServerSocket fakeCassandra) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.fakeCassandra = fakeCassandra;
    }

    /** Starts {@code swarm ARGS --cassandra <fake>} in {@code dir}; extra {@code -D} settings optional. */
    static NodeProcess start(Path dir, List<String> jvmSettings, String... args) throws IOException {
        return start(dir, java.util.Map.of(), jvmSettings, args);
    }

    /** As {@link #start(Path, List, String...)} with extra environment variables. */
    static NodeProcess start(Path dir, java.util.Map<String, String> env, List<String> jvmSettings, String... args)
            throws IOException {
        ServerSocket fake = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!fake.isClosed()) {
                try (Socket ignored = fake.accept()) {
                    // A reachability check: accept and drop.
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fake-cassandra");
        acceptor.setDaemon(true);
        acceptor.start();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-Dslf4j.internal.verbosity=ERROR",
                "-Dpekko.persistence.journal.plugin=pekko.persistence.journal.inmem",
                "-Dpekko.persistence.snapshot-store.plugin=pekko.persistence.snapshot-store.local",
                "-Dpekko.persistence.snapshot-store.local.dir=" + dir.resolve("snapshots"),
                "-Dnexus.swarm.operator-api.port=0",
                "-Dnexus.swarm.memory.node-keystore-file=" + dir.resolve("node.bcfks"),
                "-Dnexus.swarm.memory.trusted-nodes-file=" + dir.resolve("trusted-nodes"),
                "-Dnexus.swarm.packs.admission.manifest-dir=" + dir.resolve("packs"),
                "-Dnexus.swarm.packs.admission.trusted-publishers-file=" + dir.resolve("publishers")));
        command.addAll(jvmSettings);
        command.add(SwarmCli.class.getName());
        command.addAll(List.of(args));
        command.addAll(List.of("--cassandra", "127.0.0.1:" + fake.getLocalPort()));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new NodeProcess(p, out, err, fake);
    }

    Process process() {
        return process;
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    /** Waits for the process to end and returns its exit code; fails the test after {@code limit}. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the process did not end within " + limit + "\nstdout:\n" + out()
                    + "\nstderr:\n" + err());
        }
        return process.exitValue();
    }

    /** Polls the process's stdout (a file, not an actor) until it contains {@code text}. */
    void awaitOutput(String text, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!out().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + limit + "\nstdout:\n" + out()
                        + "\nstderr:\n" + err());
            }
            process.onExit().completeOnTimeout(process, 200, TimeUnit.MILLISECONDS).join();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        fakeCassandra.close();
    }
}
