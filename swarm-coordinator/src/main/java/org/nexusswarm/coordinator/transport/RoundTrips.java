package org.nexusswarm.coordinator.transport;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.pattern.Patterns;

/**
 * Round trips between this JVM and an {@link EchoNodeMain} JVM over one transport: what the transport test checks
 * and {@code swarm bench transports} measures. {@link #close} stops the far JVM.
 */
public final class RoundTrips implements AutoCloseable {

    /** Rates measured over one transport. */
    public record Rates(String transport, double oneInFlight, double hundredInFlight) {}

    private final Process echo;
    private final ActorSystem local;
    private final ActorRef remote;
    private final int port;
    private final List<String> output = new ArrayList<>();

    /**
     * Starts the far JVM and connects to it. For {@code tls-tcp}, {@code certs} holds the files of
     * {@link NodeCertificates} for nodes {@code echo} (far) and {@code localNode} (this JVM).
     */
    public RoundTrips(String transport, Path certs, String localNode, Duration timeout) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx192m");
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens")) {
                command.add(argument);
            }
        }
        command.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"); // Aeron's transport poller
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EchoNodeMain.class.getName());
        command.add(transport);
        if (transport.equals("tls-tcp")) {
            command.add(certs.toString());
            command.add("echo");
        }
        echo = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            port = awaitReady(timeout);
            NodeCertificates.NodeFiles tls = transport.equals("tls-tcp") ? NodeCertificates.of(certs, localNode)
                    : null;
            local = ActorSystem.create("measure", EchoNodeMain.config(transport, tls));
            remote = local.actorSelection("pekko://echo@127.0.0.1:" + port + "/user/echo")
                    .resolveOne(timeout).toCompletableFuture().get(timeout.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("could not reach the echo node over " + transport + ": " + e
                    + "; its output: " + output(), e);
        }
    }

    /** One round trip: the reply to {@code text}. */
    public CompletionStage<Object> ask(String text, Duration timeout) {
        return Patterns.ask(remote, text, timeout);
    }

    /** {@code n} round trips one after another, then {@code n} with 100 in flight; rates per second. */
    public Rates measure(String transport, int n) throws Exception {
        Duration t = Duration.ofSeconds(30);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ask("r" + i, t).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        double serial = n / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        List<CompletableFuture<Object>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.add(ask("p" + i, t).toCompletableFuture());
            if (inFlight.size() >= 100) {
                inFlight.remove(0).get(30, TimeUnit.SECONDS);
            }
        }
        for (CompletableFuture<Object> f : inFlight) {
            f.get(30, TimeUnit.SECONDS);
        }
        double parallel = n / ((System.nanoTime() - start) / 1e9);
        return new Rates(transport, serial, parallel);
    }

    /** The far JVM's port (system {@code echo}, actor {@code /user/echo}, on 127.0.0.1). */
    public int port() {
        return port;
    }

    /** What the far JVM printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        if (local != null) {
            local.terminate();
            try {
                local.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                // going away regardless
            }
        }
        try {
            echo.getOutputStream().close();
            if (!echo.waitFor(20, TimeUnit.SECONDS)) {
                echo.destroyForcibly();
            }
        } catch (Exception e) {
            echo.destroyForcibly();
        }
    }

    private int awaitReady(Duration timeout) throws Exception {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(echo.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("ECHO-READY ")) {
                        ready.complete(Integer.parseInt(line.substring("ECHO-READY ".length()).trim()));
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the echo node exited"));
        }, "echo-output");
        reader.setDaemon(true);
        reader.start();
        return ready.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }
}
