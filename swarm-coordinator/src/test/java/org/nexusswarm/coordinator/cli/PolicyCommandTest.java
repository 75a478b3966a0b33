package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nexusswarm.coordinator.http.PolicyApiNode;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;
import picocli.CommandLine;

/** {@code swarm policy check|push|show}: offline checks, and pushes to a real node's operator API. */
class PolicyCommandTest {

    private static PolicyApiNode node;

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        node = new PolicyApiNode("PolicyCommandTest");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Runs the command as SwarmCli would: a UserError is one "error:" line and its exit code. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cli = new CommandLine(new PolicyCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(errWriter);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError user) {
                errWriter.println("error: " + user.getMessage());
                return user.exitCode();
            }
            throw e;
        });
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private Path example(String name) throws IOException {
        try (InputStream in = PolicyCommandTest.class.getResourceAsStream("/policies/" + name)) {
            assertTrue(in != null, "example policy " + name + " is on the class path (packs)");
            return file(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private Path operatorKey() throws IOException {
        return file("operator.key", Base64.getEncoder().encodeToString(node.operatorPrivateKey) + "\n");
    }

    private static String policy(String scope, long version) {
        return "scope = \"" + scope + "\"\nversion = " + version + "\nrules { read { action = \"grid.read\" } }\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"drought-watch.conf", "energy-grid.conf", "drone-survey.conf"})
    void theExamplePoliciesPass(String name) throws IOException {
        Run r = run("check", example(name).toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("OK: rail:"), r.out());
    }

    @Test
    void checkSummarizesTheRules() throws IOException {
        Run r = run("check", example("drought-watch.conf").toString());
        assertTrue(r.out().contains("OK: rail:drought-watch@1"), r.out());
        assertTrue(r.out().contains("irrigation.divert-water") && r.out().contains("quorum 3 of 5 within 15m"), r.out());
        assertTrue(r.out().contains("DENIED outright"), r.out());
        Run grid = run("check", example("energy-grid.conf").toString());
        assertTrue(grid.out().contains("mw 0..50") && grid.out().contains("quorum 3 of 6"), grid.out());
        Run drone = run("check", example("drone-survey.conf").toString());
        assertTrue(drone.out().contains("altitude-m 0..120"), drone.out());
    }

    @Test
    void checkOfABadPolicyNamesTheLine() throws IOException {
        Run r = run("check", file("bad.conf", "scope = \"rail:x\"\nversion = 1\nrules {\n  a { acton = \"x\" }\n}\n").toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("is not a valid policy: line 4: rules.a: unknown key 'acton'"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        Run hocon = run("check", file("broken.conf", "scope = {").toString());
        assertEquals(ExitCodes.USAGE, hocon.code());
        assertTrue(hocon.err().contains("not valid HOCON"), hocon.err());
    }

    @Test
    void checkOfAMissingFile() {
        Run r = run("check", tmp.resolve("nope.conf").toString());
        assertEquals(ExitCodes.NOT_FOUND, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void pushThenShow() throws IOException {
        String text = policy("rail:cli-push", 1);
        Run push = run("push", file("p.conf", text).toString(), "--scope", "rail:cli-push", "--node", node.url(),
                "--operator-key", operatorKey().toString());
        assertEquals(0, push.code(), push.err());
        assertTrue(push.out().contains("Accepted: rail:cli-push is now at version 1"), push.out());
        assertEquals(1, PolicyRegistry.get(node.testKit.system()).current("rail:cli-push").orElseThrow().version());

        Run show = run("show", "--scope", "rail:cli-push", "--node", node.url() + "/");
        assertEquals(0, show.code(), show.err());
        assertTrue(show.out().startsWith("# rail:cli-push version 1"), show.out());
        assertTrue(show.out().endsWith(text), show.out());

        Run again = run("push", file("p.conf", text).toString(), "--scope", "rail:cli-push", "--node", node.url(),
                "--operator-key", operatorKey().toString());
        assertEquals(ExitCodes.FAILURE, again.code());
        assertTrue(again.err().contains("HTTP 400") && again.err().contains("version 1 is not above"), again.err());
    }

    @Test
    void pushWithANonOperatorKeyIsRefused() throws IOException {
        Path stranger = file("stranger.key", Base64.getEncoder().encodeToString(new byte[32]));
        Run r = run("push", file("p.conf", policy("rail:cli-stranger", 1)).toString(), "--scope", "rail:cli-stranger",
                "--node", node.url(), "--operator-key", stranger.toString());
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().contains("HTTP 403") && r.err().contains("is not admitted on this node as an operator"), r.err());
    }

    @Test
    void pushRefusesAScopeMismatchBeforeSending() throws IOException {
        Run r = run("push", file("p.conf", policy("rail:a", 1)).toString(), "--scope", "rail:b", "--node", node.url(),
                "--operator-key", operatorKey().toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("declares scope rail:a, not rail:b"), r.err());
    }

    @Test
    void pushRefusesABadKeyFile() throws IOException {
        for (String content : new String[] {"not base64 !!", Base64.getEncoder().encodeToString(new byte[16])}) {
            Run r = run("push", file("p.conf", policy("rail:k", 1)).toString(), "--scope", "rail:k", "--node",
                    node.url(), "--operator-key", file("bad.key", content).toString());
            assertEquals(ExitCodes.USAGE, r.code());
            assertTrue(r.err().contains("does not hold an operator key"), r.err());
        }
        Run missing = run("push", file("p.conf", policy("rail:k", 1)).toString(), "--scope", "rail:k", "--node",
                node.url(), "--operator-key", tmp.resolve("none.key").toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code());
    }

    @Test
    void pushOfAnInvalidPolicyNeverLeavesTheMachine() throws IOException {
        Run r = run("push", file("p.conf", "version = 1").toString(), "--scope", "rail:k", "--node",
                "http://127.0.0.1:1", "--operator-key", operatorKey().toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("scope: missing"), r.err());
    }

    @Test
    void unreachableNode() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run r = run("show", "--scope", "rail:x", "--node", "http://127.0.0.1:" + closed);
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().contains("cannot reach the node at http://127.0.0.1:" + closed), r.err());
    }

    @Test
    void badNodeUrlOrScopeIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run("show", "--scope", "rail:x", "--node", "127.0.0.1:8558").code());
        assertEquals(ExitCodes.USAGE, run("show", "--scope", "rail:x", "--node", "http://bad host/").code());
        Run scope = run("show", "--scope", "grid", "--node", node.url());
        assertEquals(ExitCodes.USAGE, scope.code());
        assertTrue(scope.err().contains("'grid' is not a policy scope"), scope.err());
    }

    @Test
    void showOfAScopeWithoutPolicy() {
        Run r = run("show", "--scope", "rail:cli-none", "--node", node.url());
        assertEquals(ExitCodes.NOT_FOUND, r.code());
        assertTrue(r.err().contains("no policy has been set for rail:cli-none"), r.err());
    }

    @Test
    void aSubcommandIsRequired() {
        assertEquals(ExitCodes.USAGE, run().code());
        assertEquals(ExitCodes.USAGE, run("push", "x.conf").code(), "missing required options");
    }
}
