package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.coordinator.http.KillSwitchTestNode;
import org.nexusswarm.safety.api.monitor.KillTarget;
import picocli.CommandLine;

/** {@code swarm kill} against a real node: each target kind, and every bad input with its exit code. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillCommandTest {

    private KillSwitchTestNode node;

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws Exception {
        node = new KillSwitchTestNode("KillCommandTest");
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    @AfterEach
    void release() throws Exception {
        for (KillTarget t : node.killSwitch.engaged()) {
            node.killSwitch.release(t).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private record Run(int code, String out, String err) {}

    /** Runs the command as {@code swarm kill} would, with SwarmCli's handling of user errors. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new KillCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError user) {
                commandLine.getErr().println("error: " + user.getMessage());
                return user.exitCode();
            }
            throw e;
        });
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private Path keyFile(byte[] key) throws IOException {
        Path file = Files.writeString(tmp.resolve("operator-" + System.nanoTime() + ".key"),
                Base64.getEncoder().encodeToString(key) + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
        return file;
    }

    private Path operatorKey() throws Exception {
        return keyFile(privateKeyOf(node));
    }

    private static byte[] privateKeyOf(KillSwitchTestNode node) {
        return node.operatorPrivateKey.clone();
    }

    @Test
    void engagesAnEntityAPackOrARail() throws Exception {
        Path key = operatorKey();
        Run entity = run("--entity", "agent:rogue", "--reason", "oscillating valves", "--node", node.url(),
                "--operator-key", key.toString());
        assertEquals(0, entity.code(), entity.err());
        assertTrue(entity.out().contains("Kill switch engaged for ENTITY agent:rogue by operator:alice"), entity.out());
        assertTrue(entity.out().contains("confirmed by every node"), entity.out());
        assertTrue(entity.err().isEmpty(), entity.err());
        assertTrue(node.killSwitch.covers("agent:rogue", null, null));
        assertEquals(0, run("--pack", "climate", "--reason", "r", "--node", node.url() + "/", "--operator-key",
                key.toString()).code());
        assertEquals(0, run("--rail", "drought-watch", "--reason", "r", "--node", node.url(), "--operator-key",
                key.toString()).code());
        assertTrue(node.killSwitch.covers("agent:x", "drought-watch", null));
        assertTrue(node.killSwitch.covers("agent:x", null, "climate"));
    }

    @Test
    void anOrderMintedForAnotherSwarmIsRefusedByTheNode() throws Exception {
        Path key = operatorKey();
        Run other = run("--entity", "agent:elsewhere", "--reason", "r", "--node", node.url(), "--operator-key",
                key.toString(), "--audience", "another-swarm");
        assertEquals(KillCommand.REFUSED, other.code(), other.err());
        assertTrue(other.err().contains("WRONG_AUDIENCE"), other.err());
        assertFalse(node.killSwitch.covers("agent:elsewhere", null, null));
        Run named = run("--entity", "agent:elsewhere", "--reason", "r", "--node", node.url(), "--operator-key",
                key.toString(), "--audience", org.nexusswarm.coordinator.http.OperatorBodies.AUDIENCE);
        assertEquals(0, named.code(), named.err());
    }

    @Test
    void exactlyOneTargetIsRequired() throws Exception {
        Path key = operatorKey();
        Run none = run("--reason", "r", "--node", node.url(), "--operator-key", key.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--entity") && none.err().contains("--rail"), none.err());
        Run two = run("--entity", "agent:x", "--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key",
                key.toString());
        assertEquals(2, two.code());
        assertTrue(two.err().contains("mutually exclusive"), two.err());
        Run badName = run("--entity", "agent:a|b", "--reason", "r", "--node", node.url(), "--operator-key",
                key.toString());
        assertEquals(ExitCodes.USAGE, badName.code());
        assertTrue(badName.err().contains("'|'"), badName.err());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void reasonNodeAndKeyAreRequiredAndChecked() throws Exception {
        Path key = operatorKey();
        assertEquals(2, run("--rail", "r", "--node", node.url(), "--operator-key", key.toString()).code());
        assertEquals(2, run("--rail", "r", "--reason", "r", "--operator-key", key.toString()).code());
        assertEquals(2, run("--rail", "r", "--reason", "r", "--node", node.url()).code());
        Run blank = run("--rail", "r", "--reason", " ", "--node", node.url(), "--operator-key", key.toString());
        assertEquals(ExitCodes.USAGE, blank.code());
        assertTrue(blank.err().contains("--reason"), blank.err());
        Run badUrl = run("--rail", "r", "--reason", "r", "--node", "ftp://x", "--operator-key", key.toString());
        assertEquals(ExitCodes.USAGE, badUrl.code());
        assertTrue(badUrl.err().contains("not an http(s)://HOST:PORT address"), badUrl.err());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void unusableKeyFilesAreUsageErrors() throws Exception {
        Run missing = run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key",
                tmp.resolve("nope.key").toString());
        assertEquals(ExitCodes.USAGE, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Path notBase64 = Files.writeString(tmp.resolve("text.key"), "this is not base64!");
        Run garbled = run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key", notBase64.toString());
        assertEquals(ExitCodes.USAGE, garbled.code());
        assertTrue(garbled.err().contains("base64"), garbled.err());
        Run shortKey = run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key",
                keyFile(new byte[16]).toString());
        assertEquals(ExitCodes.USAGE, shortKey.code());
        assertTrue(shortKey.err().contains("holds 16 bytes"), shortKey.err());
        Path huge = Files.write(tmp.resolve("huge.key"), new byte[10_000]);
        assertEquals(ExitCodes.USAGE, run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key",
                huge.toString()).code());
        Run directory = run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key", tmp.toString());
        assertEquals(ExitCodes.USAGE, directory.code(), directory.err());
        assertFalse(directory.err().contains("\tat "), "no stack trace: " + directory.err());
    }

    @Test
    void aKeyFileOthersCanReadIsWarnedAbout() throws Exception {
        Path key = operatorKey();
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            return; // not POSIX: nothing to warn about
        }
        Run r = run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key", key.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("readable by other users"), r.err());
    }

    @Test
    void aRefusalByTheNodeIsReportedWithItsReason() throws Exception {
        Run stranger = run("--rail", "r", "--reason", "r", "--node", node.url(), "--operator-key",
                keyFile(new byte[32]).toString());
        assertEquals(KillCommand.REFUSED, stranger.code());
        assertTrue(stranger.err().contains("HTTP 403") && stranger.err().contains("not admitted"), stranger.err());
        assertTrue(node.killSwitch.engaged().isEmpty());
    }

    @Test
    void anUnreachableNodeIsAFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run r = run("--rail", "r", "--reason", "r", "--node", "http://127.0.0.1:" + closedPort, "--operator-key",
                operatorKey().toString());
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().contains("cannot reach the node"), r.err());
        Run notApi = run("--rail", "r", "--reason", "r", "--node", node.url() + "/elsewhere", "--operator-key",
                operatorKey().toString());
        assertEquals(ExitCodes.FAILURE, notApi.code(), "404: no kill switch there");
        assertTrue(notApi.err().contains("HTTP 404"), notApi.err());
    }

    @Test
    void helpNamesTheInterimKeyFile() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--operator-key") && help.out().contains("keystore"), help.out());
        assertTrue(help.out().contains("Exit codes"), help.out());
    }
}
