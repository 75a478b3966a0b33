package org.nexusswarm.clusterconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starts a real (ephemeral) Cassandra through {@link TestCassandra}; run by failsafe in {@code mvn verify}. */
class DevCassandraIntegrationTest {

    @Test
    void startsReusesAndStops() throws IOException {
        long start = System.nanoTime();
        DevCassandra cassandra = TestCassandra.shared();
        System.out.printf("Test Cassandra started in %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());

        assertTrue(cassandra.startedByUs());
        assertSame(cassandra, TestCassandra.shared());
        assertEquals(0x06, cqlOptionsResponseOpcode(cassandra), "CQL OPTIONS must be answered with SUPPORTED");
        assertEquals(cassandra.pid(), DevCassandra.running(cassandra.dataDir()).orElseThrow().pid());
        assertTrue(Files.size(cassandra.logFile()) > 0);

        try (DevCassandra reused = DevCassandra.startOrReuse(
                CassandraSettings.ephemeral(cassandra.dataDir()), System.out::println)) {
            assertFalse(reused.startedByUs());
            assertEquals(cassandra.pid(), reused.pid());
            assertEquals(cassandra.contactPoint(), reused.contactPoint());
        }
        assertTrue(Ports.accepts(cassandra.contactPoint(), Duration.ofSeconds(1)),
                "closing a reused instance must leave Cassandra running");

        long pid = cassandra.pid();
        Path dataDir = cassandra.dataDir();
        long stopStart = System.nanoTime();
        TestCassandra.stopShared();
        System.out.printf("Test Cassandra stopped in %d ms%n", Duration.ofNanos(System.nanoTime() - stopStart).toMillis());

        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "Cassandra process still alive");
        assertTrue(DevCassandra.running(dataDir).isEmpty());
        assertFalse(Files.exists(CassandraDataDir.at(dataDir).stateFile()));
    }

    /** Sends a CQL v4 OPTIONS frame and returns the response opcode, proving it is Cassandra that listens. */
    private static int cqlOptionsResponseOpcode(DevCassandra cassandra) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(cassandra.contactPoint(), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            // version 4 request, no flags, stream 0, opcode OPTIONS (0x05), empty body
            out.write(new byte[] {0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00});
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            in.readFully(header);
            assertEquals((byte) 0x84, header[0], "expected a CQL v4 response frame");
            return header[4];
        }
    }
}
