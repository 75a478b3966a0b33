package org.nexusswarm.coordinator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster of node JVMs on this machine ({@code swarm cluster up|down|status}): started one after another with
 * the {@code local-cluster} profile (the first is the seed), each on its own Artery and operator-API port, its own
 * node key, its log in {@code <dir>/node-<i>.log}; the running set is recorded in {@code <dir>/cluster.json} so a
 * later command can stop or inspect it.
 */
public final class LocalCluster {

    /** One node of the recorded cluster. */
    public record Node(String name, long pid, int remotePort, String api, String log) {}

    /** The recorded cluster: its nodes and the Cassandra they share. */
    public record State(String cassandra, String cassandraDataDir, boolean cassandraOurs, List<Node> nodes) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NODE_UP = Pattern.compile("Node up: (\\S+), operator API (https?://[^\\s,]+)");
    public static final String STATE_FILE = "cluster.json";

    private final Path dir;

    public LocalCluster(Path dir) {
        this.dir = dir;
    }

    public Path stateFile() {
        return dir.resolve(STATE_FILE);
    }

    /** The recorded cluster, if one was started here. */
    public Optional<State> state() throws IOException {
        Path f = stateFile();
        return Files.isRegularFile(f) ? Optional.of(JSON.readValue(f.toFile(), State.class)) : Optional.empty();
    }

    /** True when any recorded node process is still alive. */
    public static boolean anyAlive(State s) {
        return s.nodes().stream().anyMatch(n -> ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    /**
     * Starts {@code count} nodes against {@code cassandra} (HOST:PORT), one after another, each waited for until it
     * logs that it is up (at most {@code perNode}). {@code nodeArgs} are added to every {@code swarm node}. On a
     * node that does not come up, stops those already started and throws with the end of its log.
     */
    public State up(int count, String cassandra, String cassandraDataDir, boolean cassandraOurs, List<String> nodeArgs,
            List<String> firstNodeArgs, Map<String, String> extraEnv, Duration perNode, PrintWriter out)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int[] remotePorts = freePorts(count);
        String seed = "pekko://nexus-swarm@127.0.0.1:" + remotePorts[0];
        List<Node> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "node-" + (i + 1);
            Path log = dir.resolve(name + ".log");
            List<String> command = javaCommand();
            command.addAll(List.of("node", "--profile", "local-cluster", "--cassandra", cassandra));
            command.addAll(nodeArgs);
            if (i == 0) {
                command.addAll(firstNodeArgs);
            }
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            Map<String, String> env = pb.environment();
            env.putAll(extraEnv);
            env.put("NEXUS_REMOTE_PORT", Integer.toString(remotePorts[i]));
            env.put("NEXUS_SEED", seed);
            env.put("NEXUS_OPERATOR_API_PORT", "0");
            env.put("NEXUS_NODE_KEYSTORE", dir.resolve(name + ".bcfks").toAbsolutePath().toString());
            // Each node's checkpoint key is appended to the trusted-nodes file reviewers verify with (the swarm
            // script names the user's; otherwise the cluster's own). Nodes start one at a time: no racing appends.
            env.putIfAbsent("NEXUS_TRUSTED_NODES", dir.resolve("trusted-nodes").toAbsolutePath().toString());
            out.printf("  starting %s (Artery 127.0.0.1:%d%s) ... ", name, remotePorts[i], i == 0 ? ", seed" : "");
            out.flush();
            Process p = pb.start();
            long t0 = System.nanoTime();
            String api;
            try {
                api = awaitUp(p, log, perNode);
            } catch (IOException e) {
                out.println("failed");
                p.destroyForcibly();
                stop(started, Duration.ofSeconds(30), out);
                throw e;
            }
            out.printf("up in %.1f s, operator API %s%n", (System.nanoTime() - t0) / 1e9, api);
            out.flush();
            started.add(new Node(name, p.pid(), remotePorts[i], api, log.toString()));
            if (i > 0) {
                // Every node of this machine's cluster may host the first node's rails: same operator, same disk.
                List<String> copied = copyRailSecrets(dir.resolve("node-1.bcfks"), dir.resolve(name + ".bcfks"));
                if (!copied.isEmpty()) {
                    out.println("    rail secret(s) " + String.join(", ", copied) + " copied to " + name
                            + " (it hosts those rails on its next registry read)");
                }
            }
            // Recorded after every node: an interrupted `up` still leaves what `down` needs.
            JSON.writeValue(stateFile().toFile(), new State(cassandra, cassandraDataDir, cassandraOurs, started));
        }
        if (!firstNodeArgs.isEmpty() && !started.isEmpty()) {
            // An entity that sharding starts on a node before that node hosts its rail would stay the stand-in
            // that refuses everything (until it passivates): the cluster is up only when every node hosts the
            // rails the first node hosts (not older instances whose secret no keystore here holds).
            java.util.Set<String> instances = hostedInstances(started.get(0), perNode);
            for (Node n : started) {
                awaitRailsHosted(n, instances, perNode);
                out.println("  " + n.name() + " hosts rail instance(s) " + String.join(", ", instances));
            }
        }
        return new State(cassandra, cassandraDataDir, cassandraOurs, List.copyOf(started));
    }

    /** The rail instances {@code first} hosts, once it hosts at least one. */
    private static java.util.Set<String> hostedInstances(Node first, Duration timeout)
            throws IOException, InterruptedException {
        return awaitRailsHosted(first, java.util.Set.of(), timeout);
    }

    /**
     * Waits until {@code n} hosts every one of {@code instances} (with none given: at least one rail); returns the
     * instances it hosts.
     */
    private static java.util.Set<String> awaitRailsHosted(Node n, java.util.Set<String> instances, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.api() + "/rails"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                last = r.body();
                java.util.Set<String> hosted = new java.util.TreeSet<>();
                for (JsonNode rail : JSON.readTree(r.body()).path("rails")) {
                    if (rail.path("hostedHere").asBoolean()) {
                        hosted.add(rail.path("instance").asText());
                    }
                }
                if (r.statusCode() == 200 && !hosted.isEmpty() && hosted.containsAll(instances)) {
                    return hosted;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500); // the CLI's own thread, polling a child's API: no actor here
        }
        throw new IOException(n.name() + " did not host rail instance(s) " + instances + " within " + timeout.toSeconds()
                + " s; its answer: " + last + " (see " + n.log() + ")");
    }

    /**
     * Copies every rail secret of keystore {@code from} into {@code to} through an export file under a one-time
     * password, the same path 'swarm rail secret export|import' takes (the secret never sits on disk in plain).
     */
    static List<String> copyRailSecrets(Path from, Path to) throws IOException {
        char[] password = org.nexusswarm.safety.api.registry.NodeKeyStore.passwordFromEnvironment();
        List<String> instances = org.nexusswarm.safety.api.credential.RailSecretStore.instances(from, password);
        List<String> copied = new ArrayList<>();
        for (String instance : instances) {
            Path tmp = Files.createTempDirectory("nexus-rail-copy");
            Path export = tmp.resolve("secret.bcfks");
            byte[] one = new byte[24];
            new java.security.SecureRandom().nextBytes(one);
            char[] exportPassword = java.util.Base64.getEncoder().encodeToString(one).toCharArray();
            try {
                org.nexusswarm.safety.api.credential.RailSecretStore.export(from, password, instance, export,
                        exportPassword);
                org.nexusswarm.safety.api.credential.RailSecretStore.importFrom(export, exportPassword, to, password);
                copied.add(instance);
            } finally {
                Files.deleteIfExists(export);
                Files.deleteIfExists(tmp);
                java.util.Arrays.fill(exportPassword, '\0');
            }
        }
        return copied;
    }

    /** Stops every recorded node (SIGTERM, then SIGKILL after {@code grace}) and forgets the cluster. */
    public void down(State state, Duration grace, PrintWriter out) throws IOException {
        stop(state.nodes(), grace, out);
        Files.deleteIfExists(stateFile());
    }

    /** What each node's {@code GET /cluster} answers (empty for a node that does not answer). */
    public static Map<String, Optional<JsonNode>> ask(State state, Duration timeout) {
        return ask(state, timeout, false);
    }

    /** As {@link #ask(State, Duration)}; with {@code entityIds} every node also lists the entities it hosts. */
    public static Map<String, Optional<JsonNode>> ask(State state, Duration timeout, boolean entityIds) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        Map<String, Optional<JsonNode>> answers = new java.util.LinkedHashMap<>();
        for (Node n : state.nodes()) {
            Optional<JsonNode> answer = Optional.empty();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.api() + "/cluster" + (entityIds ? "?entities=true" : "")))
                        .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    answer = Optional.of(JSON.readTree(r.body()));
                }
            } catch (IOException e) {
                // not answering: reported as such
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answers.put(n.name(), answer);
        }
        return answers;
    }

    /**
     * Newest node first, one at a time, so each leaves gracefully while the others still form a cluster (all at
     * once, the leavers wait on each other until coordinated shutdown times out).
     */
    private static void stop(List<Node> nodes, Duration grace, PrintWriter out) {
        int stopped = 0;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            Optional<ProcessHandle> handle = ProcessHandle.of(n.pid()).filter(ProcessHandle::isAlive)
                    // only a process that is still the java we started (a pid can be reused after a reboot)
                    .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false));
            if (handle.isEmpty()) {
                continue;
            }
            ProcessHandle h = handle.get();
            long t0 = System.nanoTime();
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                out.printf("  %s stopped in %.1f s%n", n.name(), (System.nanoTime() - t0) / 1e9);
            } catch (Exception e) {
                out.println("  " + n.name() + " (pid " + h.pid() + ") did not stop within " + grace.toSeconds()
                        + " s: killed");
                h.destroyForcibly();
            }
            out.flush();
            stopped++;
        }
        out.println("  stopped " + stopped + " node process(es)");
    }

    private static String awaitUp(Process p, Path log, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = NODE_UP.matcher(text);
            if (m.find()) {
                return m.group(2);
            }
            if (!p.isAlive()) {
                throw new IOException("the node exited with code " + p.exitValue() + "; the end of " + log + ":\n"
                        + tail(text));
            }
            Thread.sleep(200); // the CLI's own thread, polling a child's log: no actor here
        }
        throw new IOException("the node did not come up within " + timeout.toSeconds() + " s; the end of " + log
                + ":\n" + tail(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : ""));
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }

    /** The java command this JVM was started with (class path, --add-opens), a smaller heap, and the CLI. */
    private static List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx384m");
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--add-opens=") || a.startsWith("-Dslf4j")) {
                command.add(a);
            } else if (a.equals("--add-opens") && i + 1 < args.size()) {
                command.add(a);
                command.add(args.get(++i));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.nexusswarm.coordinator.cli.SwarmCli");
        return command;
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }
}
