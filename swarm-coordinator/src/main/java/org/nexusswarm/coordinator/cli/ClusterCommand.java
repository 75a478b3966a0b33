package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nexusswarm.clusterconfig.DevCassandra;
import org.nexusswarm.coordinator.cluster.LocalCluster;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code swarm cluster up|down|status}: a cluster of node JVMs on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect a cluster of node JVMs on this machine (one shared Cassandra).",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: up, down or status");
    }

    static final class Where {
        @Option(names = "--dir", defaultValue = ".nexus/cluster",
                description = "Where the cluster's state and node logs are (default ${DEFAULT-VALUE}).")
        Path dir;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start the embedded Cassandra (unless --cassandra names one) and N node JVMs on loopback, "
                    + "one after another, the first as seed; ports are chosen free; logs in <dir>/node-<i>.log.",
                    "Exit 5 when a cluster recorded in <dir> is still running."})
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Where where;

        @Mixin
        CassandraOptions cassandra;

        @Mixin
        PackLocationOptions packs;

        @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (default ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--rail", paramLabel = "PACK/RAIL",
                description = "Deploy a rail through the first node (cluster-wide registry) and copy its secret to "
                        + "every other node, so any node can host its entities, e.g. climate/drought-watch.")
        String rail;

        @Option(names = "--instance", paramLabel = "ID",
                description = "Entity id prefix of the rail deployed with --rail (default: the rail's name). A rail "
                        + "instance whose secret no keystore holds any more can never be hosted again: use another.")
        String instance;

        @Option(names = "--operator", paramLabel = "NAME=DID",
                description = "Admit an operator on every node (repeatable), as 'swarm node --operator'.")
        List<String> operators = new ArrayList<>();

        @Option(names = "--node-timeout", defaultValue = "180",
                description = "Seconds to wait for each node to come up (default ${DEFAULT-VALUE}).")
        int nodeTimeout;

        @Override
        public Integer call() throws Exception {
            if (nodes < 1 || nodes > 16) {
                throw new UserError(ExitCodes.USAGE, "--nodes must be 1-16 on one machine");
            }
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster cluster = new LocalCluster(where.dir);
            Optional<LocalCluster.State> old = cluster.state();
            if (old.isPresent() && LocalCluster.anyAlive(old.get())) {
                throw new UserError(ExitCodes.ALREADY_RUNNING, "a cluster recorded in " + cluster.stateFile()
                        + " is still running: 'swarm cluster status' or 'swarm cluster down'");
            }
            Config config = cassandra.loadConfig();
            String contact;
            String dataDir = "";
            boolean ours;
            try (CassandraConnection c = CassandraConnection.open(config, true, out)) {
                Optional<DevCassandra> dev = c.dev();
                ours = dev.isPresent();
                contact = dev.map(d -> d.contactPoint().getHostString() + ":" + d.contactPoint().getPort())
                        .orElseGet(() -> config.getString("nexus.swarm.cassandra.contact-points"));
                if (ours) {
                    dataDir = dev.get().dataDir().toString();
                }
            }
            out.println("Starting " + nodes + " node(s) against Cassandra " + contact + " (logs in " + where.dir
                    + ") ...");
            out.flush();
            List<String> nodeArgs = new ArrayList<>();
            if (cassandra.keyspace != null) {
                nodeArgs.addAll(List.of("--keyspace", cassandra.keyspace));
            }
            for (String o : operators) {
                nodeArgs.addAll(List.of("--operator", o));
            }
            long t0 = System.nanoTime();
            LocalCluster.State state;
            try {
                state = cluster.up(nodes, contact, dataDir, ours, nodeArgs,
                        railArgs(), packEnvironment(),
                        Duration.ofSeconds(nodeTimeout), out);
            } catch (java.io.IOException e) {
                throw new UserError(ExitCodes.FAILURE, e.getMessage());
            }
            out.printf("Cluster up: %d node(s) in %.1f s. 'swarm cluster status' shows members and entities; "
                    + "'swarm cluster down' stops it.%n", state.nodes().size(), (System.nanoTime() - t0) / 1e9);
            return ExitCodes.OK;
        }

        private List<String> railArgs() {
            if (rail == null) {
                if (instance != null) {
                    throw new UserError(ExitCodes.USAGE, "--instance goes with --rail");
                }
                return List.of();
            }
            return instance == null ? List.of("--rail", rail) : List.of("--rail", rail, "--instance", instance);
        }

        /** Where the nodes find signed pack manifests and the trusted publishers (as 'swarm packs' takes them). */
        private Map<String, String> packEnvironment() {
            Map<String, String> env = new java.util.HashMap<>();
            if (packs.manifestDir != null) {
                env.put("NEXUS_PACK_MANIFEST_DIR", packs.manifestDir.toAbsolutePath().toString());
            }
            if (packs.trustedPublishers != null) {
                env.put("NEXUS_TRUSTED_PACK_PUBLISHERS", packs.trustedPublishers.toAbsolutePath().toString());
            }
            return env;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every node of the recorded cluster (SIGTERM, SIGKILL after 30 s) and the embedded "
                    + "Cassandra it started.")
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = "--keep-cassandra", description = "Leave the embedded Cassandra running.")
        boolean keepCassandra;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster cluster = new LocalCluster(where.dir);
            LocalCluster.State state = cluster.state().orElseThrow(() -> new UserError(ExitCodes.NOT_FOUND,
                    "no cluster recorded in " + cluster.stateFile()));
            out.println("Stopping " + state.nodes().size() + " node(s) ...");
            cluster.down(state, Duration.ofSeconds(30), out);
            if (state.cassandraOurs() && !keepCassandra && !state.cassandraDataDir().isEmpty()) {
                out.println(DevCassandra.stop(Path.of(state.cassandraDataDir()))
                        ? "Stopped the embedded Cassandra." : "The embedded Cassandra was not running.");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Ask every node of the recorded cluster what it sees: members, their status, roles and "
                    + "reachability, and the shards and entities each node hosts.",
                    "Exit 0 when every node answers, 1 when one does not, 4 when no cluster is recorded."})
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = "--json", description = "One JSON object: every node's answer.")
        boolean json;

        @Option(names = "--entities", description = "Also list the id of every entity each node hosts.")
        boolean entities;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster cluster = new LocalCluster(where.dir);
            LocalCluster.State state = cluster.state().orElseThrow(() -> new UserError(ExitCodes.NOT_FOUND,
                    "no cluster recorded in " + cluster.stateFile() + " (start one with 'swarm cluster up')"));
            Map<String, Optional<JsonNode>> answers = LocalCluster.ask(state, Duration.ofSeconds(10), entities);
            boolean all = answers.values().stream().allMatch(Optional::isPresent);
            if (json) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode root = m.createObjectNode();
                answers.forEach((name, a) -> root.set(name, a.orElse(m.createObjectNode().put("error",
                        "no answer"))));
                out.println(m.writeValueAsString(root));
                return all ? ExitCodes.OK : ExitCodes.FAILURE;
            }
            out.printf("%-8s %-8s %-36s %-8s %s%n", "node", "pid", "address", "status", "hosted (kind: shards/entities)");
            JsonNode members = null;
            for (LocalCluster.Node n : state.nodes()) {
                Optional<JsonNode> a = answers.get(n.name());
                if (a.isEmpty()) {
                    out.printf("%-8s %-8d %-36s %-8s%n", n.name(), n.pid(), "127.0.0.1:" + n.remotePort(),
                            "NO ANSWER");
                    continue;
                }
                JsonNode s = a.get();
                members = members == null ? s.get("members") : members;
                StringBuilder hosted = new StringBuilder();
                s.get("hosted").fields().forEachRemaining(e -> {
                    JsonNode k = e.getValue();
                    if (k.has("entities") && k.get("entities").asInt() > 0) {
                        hosted.append(e.getKey()).append(": ").append(k.get("shards").asInt()).append('/')
                                .append(k.get("entities").asInt()).append("  ");
                    }
                });
                out.printf("%-8s %-8d %-36s %-8s %s%n", n.name(), n.pid(), s.get("self").asText(),
                        s.get("selfStatus").asText(), hosted.length() == 0 ? "-" : hosted.toString().trim());
                if (entities) {
                    s.get("hosted").fields().forEachRemaining(e -> e.getValue().path("ids").forEach(id ->
                            out.println("           " + e.getKey() + ":" + id.asText())));
                }
            }
            if (members != null) {
                out.println();
                out.println("Members (as the first answering node sees them):");
                for (JsonNode m : members) {
                    List<String> roles = new ArrayList<>();
                    m.get("roles").forEach(r -> roles.add(r.asText()));
                    out.printf("  %-40s %-8s %-12s roles %s%n", m.get("address").asText(), m.get("status").asText(),
                            m.get("reachable").asBoolean() ? "reachable" : "UNREACHABLE", roles);
                }
            }
            return all ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
