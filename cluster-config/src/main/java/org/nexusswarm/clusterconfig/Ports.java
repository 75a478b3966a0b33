package org.nexusswarm.clusterconfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback TCP port helpers for the launcher.
 *
 * <p>Caveat: a port reported free can be taken by another process before Cassandra binds it; the
 * launcher then fails with Cassandra's own bind error in the log tail.
 */
final class Ports {

    /** The dev Cassandra binds only here; IPv4 literal so no name lookup and no IPv6 surprise. */
    static final InetAddress LOOPBACK = loopbackV4();

    private Ports() {
    }

    /** {@code count} distinct ports that were free on 127.0.0.1 a moment ago. */
    static int[] chooseFree(int count) {
        // Held open together so the OS cannot hand out the same port twice.
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, LOOPBACK);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new CassandraLaunchException("Could not find a free TCP port on 127.0.0.1: " + e.getMessage(), e);
        } finally {
            sockets.forEach(Ports::closeQuietly);
        }
    }

    /** Whether a server could bind {@code port} on 127.0.0.1 right now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same as Cassandra's (Netty's) server sockets, so a port in TIME_WAIT counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections at {@code address} within {@code timeout}. */
    static boolean accepts(InetSocketAddress address, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the port is released when the process ends anyway.
        }
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
