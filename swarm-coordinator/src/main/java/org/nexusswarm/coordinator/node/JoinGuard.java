package org.nexusswarm.coordinator.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.nexusswarm.coordinator.node.NodeStartException.Problem;

/**
 * Turns the ways a node fails to start or join into one specific sentence each, instead of a hang or a stack
 * trace: a seed naming another cluster is refused before anything starts, a taken port is found by trying to
 * bind it first (and Artery's own bind failure is translated, for the race), and a join that times out is
 * explained by probing the seeds: nothing listening there, or something that listens but did not let us in.
 */
final class JoinGuard {

    private static final int PROBE_TIMEOUT_MS = 1000;

    private JoinGuard() {}

    /** The seed addresses, each checked to be an address of the cluster {@code systemName}. */
    static List<Address> seeds(Config config, String systemName) {
        List<Address> seeds = new ArrayList<>();
        for (String seed : config.getStringList("pekko.cluster.seed-nodes")) {
            Address address;
            try {
                address = AddressFromURIString.parse(seed);
            } catch (Exception e) { // Scala throws MalformedURLException undeclared
                throw new NodeStartException(Problem.BAD_SEED, "seed '" + seed + "' is not a node address; expected "
                        + "pekko://" + systemName + "@HOST:PORT (NEXUS_SEED / pekko.cluster.seed-nodes)");
            }
            if (address.getHost().isEmpty() || address.getPort().isEmpty()) {
                throw new NodeStartException(Problem.BAD_SEED, "seed '" + seed + "' has no host:port; expected "
                        + "pekko://" + systemName + "@HOST:PORT (NEXUS_SEED / pekko.cluster.seed-nodes)");
            }
            if (!address.system().equals(systemName)) {
                throw new NodeStartException(Problem.WRONG_CLUSTER, "seed " + seed + " is a node of cluster '"
                        + address.system() + "', but this node belongs to cluster '" + systemName
                        + "': use pekko://" + systemName + "@" + hostPort(address) + " (NEXUS_SEED)");
            }
            seeds.add(address);
        }
        return seeds;
    }

    /** Fails if the remoting port this node is configured for is taken; port 0 (any free port) always passes. */
    static void checkRemotingPortFree(Config config) {
        Config artery = config.getConfig("pekko.remote.artery");
        int port = artery.getString("bind.port").isBlank() ? artery.getInt("canonical.port")
                : artery.getInt("bind.port");
        if (port == 0) {
            return;
        }
        String host = artery.getString("bind.hostname").isBlank() ? artery.getString("canonical.hostname")
                : artery.getString("bind.hostname");
        // "<getHostAddress>" and friends: the wildcard address collides with a listener on any interface.
        InetSocketAddress where = host.startsWith("<") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        boolean udp = artery.getString("transport").equals("aeron-udp");
        try {
            if (udp) {
                try (DatagramSocket probe = new DatagramSocket(null)) {
                    probe.bind(where);
                }
            } else {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.setReuseAddress(true);
                    probe.bind(where);
                }
            }
        } catch (IOException e) {
            throw portInUse(host + ":" + port, e);
        }
    }

    /** Artery's bind failure (another process took the port between our check and its bind), as one sentence. */
    static RuntimeException translateStartFailure(RuntimeException e, Config config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Failed to bind")) {
                Config artery = config.getConfig("pekko.remote.artery");
                return portInUse(artery.getString("canonical.hostname") + ":" + artery.getString("canonical.port"), e);
            }
        }
        return e;
    }

    static NodeStartException portInUse(String hostPort, Throwable cause) {
        return new NodeStartException(Problem.PORT_IN_USE, "port " + hostPort + " is already in use (another node "
                + "on this machine?): choose another with NEXUS_REMOTE_PORT / pekko.remote.artery.canonical.port "
                + "(0 = any free port)", cause);
    }

    /** Why this node is not Up after {@code waited}: the seeds that do not answer, or those that answer but refuse. */
    static NodeStartException joinTimedOut(List<Address> seeds, Address self, Duration waited, String status,
            String transport) {
        List<String> silent = new ArrayList<>();
        List<String> answering = new ArrayList<>();
        for (Address seed : seeds) {
            if (seed.equals(self)) {
                continue;
            }
            (!transport.equals("aeron-udp") && accepts(seed) ? answering : silent).add(seed.toString());
        }
        // A member that never reached a seed still reports Removed, its initial status: say nothing then.
        String after = " within " + waited.toSeconds() + " s"
                + (status.equals("Removed") ? "" : " (status " + status + ")");
        if (!answering.isEmpty()) {
            return new NodeStartException(Problem.JOIN_REFUSED, "seed " + String.join(", ", answering)
                    + " accepts connections but did not let this node join" + after + ": check that it is a node of "
                    + "cluster '" + self.system() + "' with the same transport (" + transport + ") and that it is Up");
        }
        return new NodeStartException(Problem.SEED_UNREACHABLE, "cannot reach seed " + String.join(", ", silent)
                + ": no answer" + after + "; start the seed node first or fix NEXUS_SEED / pekko.cluster.seed-nodes "
                + "(nexus.swarm.cluster.join-timeout sets how long to wait)");
    }

    private static boolean accepts(Address seed) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(seed.getHost().orElseThrow(), seed.getPort().orElseThrow()),
                    PROBE_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String hostPort(Address a) {
        return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
    }
}
