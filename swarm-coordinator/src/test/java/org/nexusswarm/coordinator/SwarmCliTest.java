package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.coordinator.cli.ExitCodes;
import org.nexusswarm.coordinator.cli.SwarmCli;

/** The command line's refusals: each bad input gets one readable message, a specific exit code, no stack trace. */
class SwarmCliTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("demo") && r.out().contains("journal") && r.out().contains("Exit codes"), r.out());
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run().code());
        Run r = run("fly");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("fly"), r.err());
    }

    @Test
    void unreachableCassandraIsReportedPlainlyWithItsAddress() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run r = run("demo", "--cassandra", "127.0.0.1:" + closedPort, "--data-dir", tmp.resolve("c").toString());
        assertEquals(ExitCodes.CASSANDRA_UNAVAILABLE, r.code());
        assertTrue(r.err().contains("Cannot reach Cassandra at 127.0.0.1:" + closedPort), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void malformedContactPointIsAUsageError() {
        Run r = run("journal", "show", "agent:x", "--cassandra", "localhost:notaport");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("bad Cassandra port"), r.err());
    }

    @Test
    void unknownEntityKindIsAUsageError() {
        Run r = run("journal", "show", "robot:x", "--cassandra", "127.0.0.1:1");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown entity kind 'robot'"), r.err());
    }

    @Test
    void unknownProfileIsAUsageError() {
        Run r = run("demo", "--profile", "staging", "--data-dir", tmp.resolve("c").toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("unknown profile 'staging'"), r.err());
    }

    @Test
    void aSecondDemoOnTheSameDataDirectoryIsRefused() throws IOException {
        Path dataDir = tmp.resolve("swarm").resolve("cassandra");
        Files.createDirectories(dataDir.getParent());
        // Another JVM holding the lock looks the same to us as this channel holding it from a second process
        // would; within one JVM a held lock surfaces as OverlappingFileLockException, which is also handled.
        try (FileChannel ch = FileChannel.open(dataDir.getParent().resolve("demo.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            Run r = run("demo", "--data-dir", dataDir.toString());
            assertEquals(ExitCodes.ALREADY_RUNNING, r.code(), r.err());
            assertTrue(r.err().contains("another swarm demo is already running"), r.err());
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedGetsAClearMessage() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Run r = run("demo", "--data-dir", file.resolve("cassandra").toString(), "--agents", "2");
        assertTrue(r.code() == ExitCodes.CASSANDRA_UNAVAILABLE || r.code() == ExitCodes.FAILURE, r.err());
        assertTrue(r.err().contains(file.toString()), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aCassandraPortAlreadyInUseIsNamed() throws IOException {
        try (ServerSocket busy = new ServerSocket(0)) {
            Run r = run("demo", "--cassandra-port", Integer.toString(busy.getLocalPort()),
                    "--data-dir", tmp.resolve("c").toString());
            assertEquals(ExitCodes.CASSANDRA_UNAVAILABLE, r.code(), r.err());
            assertTrue(r.err().contains(Integer.toString(busy.getLocalPort())) && r.err().contains("in use"), r.err());
        }
    }

    @Test
    void demoRejectsNonsenseSizes() {
        Run r = run("demo", "--agents", "1", "--data-dir", tmp.resolve("c").toString());
        assertEquals(ExitCodes.USAGE, r.code());
    }
}
