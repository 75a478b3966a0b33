package org.nexusswarm.coordinator.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Cassandra contact points as given by a user ({@code host:port[,host:port]}) and a quick reachability probe,
 * so an unreachable cluster is reported plainly before Pekko and the driver start retrying in the background.
 */
public record CassandraEndpoints(List<InetSocketAddress> contactPoints) {

    public CassandraEndpoints {
        contactPoints = List.copyOf(contactPoints);
    }

    /** Parses {@code host:port[,host:port]}; a missing port means 9042. */
    public static CassandraEndpoints parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no Cassandra contact point given (expected host:port[,host:port])");
        }
        List<InetSocketAddress> points = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.lastIndexOf(':');
            String host = colon < 0 ? p : p.substring(0, colon);
            int port = 9042;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad Cassandra port in '" + p + "' (expected host:port)");
                }
            }
            if (host.isBlank() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad Cassandra contact point '" + p + "' (expected host:port)");
            }
            points.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no Cassandra contact point in '" + text + "'");
        }
        return new CassandraEndpoints(points);
    }

    public static CassandraEndpoints of(InetSocketAddress single) {
        return new CassandraEndpoints(List.of(single));
    }

    /** The points that accept a TCP connection within {@code timeoutMillis}; empty when none does. */
    public List<InetSocketAddress> reachable(int timeoutMillis) {
        List<InetSocketAddress> up = new ArrayList<>();
        for (InetSocketAddress p : contactPoints) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(p.getHostString(), p.getPort()), timeoutMillis);
                up.add(p);
            } catch (IOException | IllegalArgumentException e) {
                // unreachable: reported by the caller with all the points it tried
            }
        }
        return up;
    }

    /** The HOCON list for {@code datastax-java-driver.basic.contact-points}. */
    public List<String> asDriverList() {
        return contactPoints.stream().map(this::text).toList();
    }

    @Override
    public String toString() {
        return contactPoints.stream().map(this::text).collect(Collectors.joining(","));
    }

    private String text(InetSocketAddress p) {
        return p.getHostString() + ":" + p.getPort();
    }
}
