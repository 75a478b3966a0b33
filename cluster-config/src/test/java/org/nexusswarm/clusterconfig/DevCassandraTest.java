package org.nexusswarm.clusterconfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launcher behaviour that needs no running Cassandra: every case here fails or returns before a launch. */
class DevCassandraTest {

    @TempDir
    Path tmp;

    @Test
    void dataDirThatCannotBeCreatedGivesReadableError() throws IOException {
        // A regular file as parent stops root too, unlike removed permissions.
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path dataDir = file.resolve("cassandra");

        CassandraLaunchException e = assertThrows(CassandraLaunchException.class,
                () -> DevCassandra.startOrReuse(CassandraSettings.dev(dataDir), line -> { }));

        assertTrue(e.getMessage().contains(dataDir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be created or is not writable"), e.getMessage());
        assertTrue(e.getMessage().contains(file + " is a file, not a directory"), e.getMessage());
    }

    @Test
    void configuredPortInUseGivesPortInUseError() throws IOException {
        try (ServerSocket occupied = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            int port = occupied.getLocalPort();
            CassandraSettings settings = CassandraSettings.dev(tmp.resolve("c")).withNativePort(port);

            CassandraLaunchException e = assertThrows(CassandraLaunchException.class,
                    () -> DevCassandra.startOrReuse(settings, line -> { }));

            assertTrue(e.getMessage().startsWith("Port " + port + " on 127.0.0.1"), e.getMessage());
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertTrue(e.getMessage().contains("--cassandra-port"), e.getMessage());
        }
    }

    @Test
    void chosenPortsAreRememberedInTheDataDir() {
        CassandraDataDir dir = CassandraDataDir.prepare(tmp.resolve("c"));
        CassandraSettings settings = CassandraSettings.dev(dir.root());

        int[] first = DevCassandra.resolvePorts(settings, dir, line -> { });
        int[] second = DevCassandra.resolvePorts(settings, dir, line -> { });

        assertNotEquals(first[0], first[1]);
        assertArrayEquals(first, second);
        assertArrayEquals(first, CassandraDataDir.at(dir.root()).rememberedPorts());
        assertTrue(Files.isRegularFile(dir.portsFile()));
    }

    @Test
    void rememberedPortTakenMeanwhileIsReplaced() throws IOException {
        CassandraDataDir dir = CassandraDataDir.prepare(tmp.resolve("c"));
        CassandraSettings settings = CassandraSettings.dev(dir.root());
        int[] first = DevCassandra.resolvePorts(settings, dir, line -> { });
        List<String> progress = new ArrayList<>();

        int[] second;
        try (ServerSocket occupied = new ServerSocket(first[0], 1, Ports.LOOPBACK)) {
            second = DevCassandra.resolvePorts(settings, dir, progress::add);
        }

        assertNotEquals(first[0], second[0]);
        assertEquals(first[1], second[1]);
        assertArrayEquals(second, dir.rememberedPorts());
        assertTrue(progress.get(0).contains("port " + first[0] + " used before is taken"), progress.toString());
    }

    @Test
    void ephemeralPortsAreNotRemembered() {
        CassandraDataDir dir = CassandraDataDir.prepare(tmp.resolve("c"));
        DevCassandra.resolvePorts(CassandraSettings.ephemeral(dir.root()), dir, line -> { });
        assertFalse(Files.exists(dir.portsFile()));
    }

    @Test
    void stateOfDeadOrForeignProcessIsNotRunningAndNotStopped() {
        CassandraDataDir dir = CassandraDataDir.prepare(tmp.resolve("c"));
        // This test JVM: alive, but not a Cassandra, so a recycled pid is never mistaken for one.
        long foreignPid = ProcessHandle.current().pid();
        int port = Ports.chooseFree(1)[0];
        dir.writeState(new RunningCassandra(foreignPid, port, port + 1, port + 2, dir.root(), false));

        assertTrue(DevCassandra.running(dir.root()).isEmpty());
        assertFalse(DevCassandra.stop(dir.root()));
        assertFalse(Files.exists(dir.stateFile()));
        assertFalse(DevCassandra.stop(dir.root()));
    }

    @Test
    void stateFileRoundTrips() {
        CassandraDataDir dir = CassandraDataDir.prepare(tmp.resolve("c"));
        RunningCassandra state = new RunningCassandra(4242, 19042, 17000, 17199, dir.root(), true);
        dir.writeState(state);
        assertEquals(state, dir.readState().orElseThrow());
        dir.deleteState();
        assertTrue(dir.readState().isEmpty());
    }

    @Test
    void logTailKeepsTheLastLines() throws IOException {
        CassandraDataDir dir = CassandraDataDir.prepare(tmp.resolve("c"));
        assertTrue(dir.logTail(15).contains("no log written yet"));
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            log.append("line ").append(i).append('\n');
        }
        Files.writeString(dir.logFile(), log);

        String tail = dir.logTail(15);

        assertEquals(15, tail.lines().count());
        assertTrue(tail.startsWith("    line 26"), tail);
        assertTrue(tail.endsWith("line 40"), tail);
    }
}
