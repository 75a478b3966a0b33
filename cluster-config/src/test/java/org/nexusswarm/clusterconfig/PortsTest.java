package org.nexusswarm.clusterconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void chosenPortsAreDistinctAndBindable() throws IOException {
        int[] ports = Ports.chooseFree(3);
        assertEquals(3, Arrays.stream(ports).distinct().count());
        for (int port : ports) {
            assertTrue(port > 0);
            try (ServerSocket socket = new ServerSocket(port, 1, Ports.LOOPBACK)) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }

    @Test
    void boundPortIsNotFreeAndAcceptsConnections() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            int port = socket.getLocalPort();
            assertFalse(Ports.isFree(port));
            assertTrue(Ports.accepts(new InetSocketAddress(Ports.LOOPBACK, port), Duration.ofSeconds(1)));
        }
    }

    @Test
    void releasedPortIsFreeAndRefusesConnections() {
        int port = Ports.chooseFree(1)[0];
        assertTrue(Ports.isFree(port));
        assertFalse(Ports.accepts(new InetSocketAddress(Ports.LOOPBACK, port), Duration.ofMillis(250)));
    }
}
