package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.coordinator.http.CredentialRoutes;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import picocli.CommandLine;

/**
 * {@code swarm credentials}: keygen, issue, show and verify round trips on a temporary keystore, revoke against a
 * real operator API, and one readable refusal (with its exit code, no stack trace) per bad input.
 */
class CredentialsCommandTest {

    private static ActorTestKit testKit;
    private static org.nexusswarm.coordinator.http.KillSwitchTestNode clusterNode;
    private static ServerBinding binding;

    @TempDir
    Path tmp;

    private Path keystore;
    private Path passwordFile;

    private record Run(int code, String out, String err) {
        String firstLine() {
            return out.lines().findFirst().orElse("");
        }
    }

    @BeforeAll
    static void startNode() throws Exception {
        // A one-node cluster with a test journal: the replay guard of operator commands is a sharded entity.
        clusterNode = new org.nexusswarm.coordinator.http.KillSwitchTestNode("CredentialsCommandTest");
        testKit = clusterNode.testKit;
        binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
                .bind(new CredentialRoutes(testKit.system()).route()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopNode() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        clusterNode.close();
    }

    @BeforeEach
    void files() throws Exception {
        keystore = tmp.resolve("keys.bcfks");
        passwordFile = Files.writeString(tmp.resolve("password"), "s3cret-enough\n");
    }

    /** Runs {@code swarm ARGS} the way {@link SwarmCli#execute} does, with this command registered. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SwarmCli());
        if (!cli.getSubcommands().containsKey("credentials")) {
            cli.addSubcommand("credentials", new CredentialsCommand());
        }
        PrintWriter errWriter = new PrintWriter(err, true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(errWriter);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError user) {
                errWriter.println("error: " + user.getMessage());
                return user.exitCode();
            }
            errWriter.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        });
        Run r = new Run(cli.execute(args), out.toString(), err.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return r;
    }

    private Run credentials(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "credentials";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all);
    }

    private String keygen(String alias, boolean pq) {
        Run r = pq ? credentials("keygen", "--keystore", keystore.toString(), "--password-file", passwordFile.toString(),
                "--alias", alias, "--pq")
                : credentials("keygen", "--keystore", keystore.toString(), "--password-file", passwordFile.toString(),
                "--alias", alias);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        return r.firstLine();
    }

    private Run issue(String issuer, Path out, String... extra) {
        String[] base = {"issue", "--keystore", keystore.toString(), "--password-file", passwordFile.toString(),
            "--issuer", issuer, "--subject", Ed25519.generate().did().value(), "--actions", "grid.shed-load,alert.raise",
            "--places", "sahel-*,cell-7", "--out", out.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return credentials(all);
    }

    @Test
    void keygenIssueVerifyAndShowRoundTrip() throws Exception {
        String did = keygen("rail-issuer", true);
        assertTrue(did.startsWith(Did.PREFIX), did);
        Path pem = tmp.resolve("rail-issuer.mldsa65.pub.pem");
        assertTrue(Files.readString(pem).startsWith("-----BEGIN PUBLIC KEY-----"));
        Path file = tmp.resolve("cred.json");

        Run issued = issue("rail-issuer", file, "--pq", "--id", "sahel/agent-9", "--rate-per-minute", "10", "--fuel",
                "500", "--cap", "mw=50", "--cap", "litres=2000.5", "--valid-days", "7");
        assertEquals(ExitCodes.OK, issued.code(), issued.err());
        assertTrue(issued.out().contains("Issued credential sahel/agent-9") && issued.out().contains("Ed25519 + ML-DSA-65"),
                issued.out());

        Run verified = credentials("verify", file.toString(), "--issuer-did", did, "--issuer-mldsa-key", pem.toString(),
                "--require-pq");
        assertEquals(ExitCodes.OK, verified.code(), verified.err());
        assertTrue(verified.out().startsWith("VALID: credential sahel/agent-9")
                && verified.out().contains("Ed25519 and ML-DSA-65 proofs verified"), verified.out());
        Run edOnly = credentials("verify", file.toString(), "--issuer-did", did);
        assertEquals(ExitCodes.OK, edOnly.code(), edOnly.err());
        assertTrue(edOnly.out().contains("ML-DSA-65 proof present but not checked"), edOnly.out());

        Run shown = credentials("show", file.toString());
        assertEquals(ExitCodes.OK, shown.code(), shown.err());
        for (String expected : new String[] {"sahel/agent-9", did, "grid.shed-load, alert.raise", "sahel-*, cell-7",
            "rate/min 10, fuel 500, caps {litres=2000.5, mw=50.0}", "in its window", "Ed25519 + ML-DSA-65",
            "Not verified"}) {
            assertTrue(shown.out().contains(expected), expected + " in:\n" + shown.out());
        }

        Credential c = Credential.fromJson(Files.readString(file));
        assertEquals(7L * 24 * 3600 * 1000, c.notAfter() - c.notBefore());
        Run list = credentials("list", "--keystore", keystore.toString(), "--password-file", passwordFile.toString());
        assertTrue(list.out().contains("rail-issuer") && list.out().contains(did) && list.out().contains("+ML-DSA-65"),
                list.out());
    }

    @Test
    void verifyRefusesEveryInvalidCredentialWithTheReason() throws Exception {
        String did = keygen("issuer", false);
        Path file = tmp.resolve("cred.json");
        assertEquals(ExitCodes.OK, issue("issuer", file).code());
        String json = Files.readString(file);
        String subject = Credential.fromJson(json).subjectDid();

        Run untrusted = credentials("verify", file.toString(), "--issuer-did", Ed25519.generate().did().value());
        assertEquals(CredentialsCommand.INVALID, untrusted.code());
        assertTrue(untrusted.err().contains("credential invalid: NOT_IN_CREDENTIAL") && untrusted.err()
                .contains("untrusted issuer"), untrusted.err());

        Path widened = Files.writeString(tmp.resolve("widened.json"), json.replace("\"sahel-*\"", "\"*\""));
        Run tampered = credentials("verify", widened.toString(), "--issuer-did", did);
        assertEquals(CredentialsCommand.INVALID, tampered.code());
        assertTrue(tampered.err().contains("invalid issuer signature"), tampered.err());

        Run wrongSubject = credentials("verify", file.toString(), "--issuer-did", did, "--subject",
                Ed25519.generate().did().value());
        assertEquals(CredentialsCommand.INVALID, wrongSubject.code());
        assertTrue(wrongSubject.err().contains("is issued to " + subject), wrongSubject.err());

        Path truncated = Files.writeString(tmp.resolve("truncated.json"), json.substring(0, json.length() / 2));
        Run cut = credentials("verify", truncated.toString(), "--issuer-did", did);
        assertEquals(CredentialsCommand.INVALID, cut.code());
        assertTrue(cut.err().contains("truncated credential JSON"), cut.err());
        Run cutShow = credentials("show", truncated.toString());
        assertEquals(CredentialsCommand.INVALID, cutShow.code());

        String pqDid = keygen("pq-issuer", true);
        Run pqMissing = credentials("verify", file.toString(), "--issuer-did", did, "--issuer-mldsa-key",
                tmp.resolve("pq-issuer.mldsa65.pub.pem").toString(), "--require-pq");
        assertEquals(CredentialsCommand.INVALID, pqMissing.code());
        assertTrue(pqMissing.err().contains("lacks the ML-DSA-65 proof"), pqMissing.err());
        assertTrue(pqDid.startsWith(Did.PREFIX));

        assertEquals(ExitCodes.NOT_FOUND, credentials("verify", tmp.resolve("nope.json").toString(), "--issuer-did",
                did).code());
        Run noKey = credentials("verify", file.toString(), "--issuer-did", did, "--require-pq");
        assertEquals(ExitCodes.USAGE, noKey.code());
        assertTrue(noKey.err().contains("--require-pq needs --issuer-mldsa-key"), noKey.err());
        Path junkKey = Files.writeString(tmp.resolve("junk.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Run badKey = credentials("verify", file.toString(), "--issuer-did", did, "--issuer-mldsa-key", junkKey.toString());
        assertEquals(ExitCodes.USAGE, badKey.code());
        assertTrue(badKey.err().contains("ML-DSA"), badKey.err());
        Run badDid = credentials("verify", file.toString(), "--issuer-did", "did:web:example.org");
        assertEquals(ExitCodes.USAGE, badDid.code());
        assertTrue(badDid.err().contains("--issuer-did"), badDid.err());
    }

    @Test
    void keystoreProblemsAreReadable() throws Exception {
        keygen("issuer", false);
        Path wrong = Files.writeString(tmp.resolve("wrong"), "not-the-password");
        Run badPassword = credentials("list", "--keystore", keystore.toString(), "--password-file", wrong.toString());
        assertEquals(ExitCodes.USAGE, badPassword.code());
        assertTrue(badPassword.err().contains("wrong password"), badPassword.err());

        Run noAlias = issue("ghost", tmp.resolve("c.json"));
        assertEquals(ExitCodes.NOT_FOUND, noAlias.code());
        assertTrue(noAlias.err().contains("no alias 'ghost'") && noAlias.err().contains("aliases: issuer"), noAlias.err());

        Run notPq = issue("issuer", tmp.resolve("c.json"), "--pq");
        assertEquals(ExitCodes.USAGE, notPq.code());
        assertTrue(notPq.err().contains("has no ML-DSA-65 key"), notPq.err());

        Run again = credentials("keygen", "--keystore", keystore.toString(), "--password-file", passwordFile.toString(),
                "--alias", "ISSUER");
        assertEquals(ExitCodes.USAGE, again.code());
        assertTrue(again.err().contains("already exists"), again.err());

        Run missing = credentials("list", "--keystore", tmp.resolve("none.bcfks").toString(), "--password-file",
                passwordFile.toString());
        assertEquals(ExitCodes.NOT_FOUND, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Path fresh = tmp.resolve("fresh.bcfks");
        Run badAlias = credentials("keygen", "--keystore", fresh.toString(), "--password-file", passwordFile.toString(),
                "--alias", "../evil", "--pq");
        assertEquals(ExitCodes.USAGE, badAlias.code());
        assertTrue(badAlias.err().contains("bad alias '../evil'"), badAlias.err());
        assertFalse(Files.exists(fresh), "no keystore created for a refused alias");

        Path empty = Files.writeString(tmp.resolve("empty"), "");
        assertEquals(ExitCodes.USAGE, credentials("list", "--keystore", keystore.toString(), "--password-file",
                empty.toString()).code());
        assertEquals(ExitCodes.NOT_FOUND, credentials("list", "--keystore", keystore.toString(), "--password-file",
                tmp.resolve("no-such-file").toString()).code());
    }

    @Test
    void withoutAnyPasswordSourceKeygenIsAUsageError() {
        assumeTrue(System.getenv(CredentialsCommand.PASSWORD_ENV) == null, "the environment provides a password");
        Run r = credentials("keygen", "--keystore", keystore.toString(), "--alias", "x");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains(CredentialsCommand.PASSWORD_ENV) && r.err().contains("--password-file"), r.err());
        assertFalse(Files.exists(keystore));
    }

    @Test
    void badIssueOptionsAreUsageErrors() {
        keygen("issuer", false);
        Path out = tmp.resolve("c.json");
        String[][] cases = {
            {"--cap", "mw=-1"},
            {"--cap", "mw=lots"},
            {"--valid-days", "0"},
            {"--rate-per-minute", "-5"},
            {"--fuel", "many"},
        };
        for (String[] extra : cases) {
            Run r = issue("issuer", out, extra);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", extra) + ": " + r.err());
            assertFalse(r.err().isBlank());
        }
        Run badSubject = credentials("issue", "--keystore", keystore.toString(), "--password-file",
                passwordFile.toString(), "--issuer", "issuer", "--subject", "agent-7", "--actions", "a", "--places", "*",
                "--out", out.toString());
        assertEquals(ExitCodes.USAGE, badSubject.code());
        assertTrue(badSubject.err().contains("--subject"), badSubject.err());
        Run noPlaces = credentials("issue", "--keystore", keystore.toString(), "--password-file",
                passwordFile.toString(), "--issuer", "issuer", "--subject", Ed25519.generate().did().value(),
                "--actions", "a", "--places", ",", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, noPlaces.code());
        assertTrue(noPlaces.err().contains("--places"), noPlaces.err());
        assertFalse(Files.exists(out), "nothing written on refusal");
        assertEquals(ExitCodes.USAGE, credentials().code(), "no subcommand");
    }

    @Test
    void revokeSendsASignedRequestTheNodeAcceptsFromOperatorsOnly() throws Exception {
        String operatorDid = keygen("ops", false);
        String strangerDid = keygen("stranger", false);
        SafetyRegistry.get(testKit.system()).identities().admit(new Did(operatorDid), "operator:ops");
        String node = "http://127.0.0.1:" + binding.localAddress().getPort();

        Run ok = credentials("revoke", "sahel/agent-13", "--node", node, "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--operator", "ops", "--reason", "rogue behaviour");
        assertEquals(ExitCodes.OK, ok.code(), ok.err());
        assertTrue(ok.out().contains("Revoked credential sahel/agent-13"), ok.out());
        assertTrue(RevocationList.get(testKit.system()).isRevoked("sahel/agent-13"));

        Run refused = credentials("revoke", "sahel/agent-14", "--node", node + "/", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--operator", "stranger", "--reason", "let me");
        assertEquals(CredentialsCommand.INVALID, refused.code());
        assertTrue(refused.err().contains("HTTP 403") && refused.err().contains("UNKNOWN_OPERATOR"),
                refused.err());
        assertFalse(RevocationList.get(testKit.system()).isRevoked("sahel/agent-14"));

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run unreachable = credentials("revoke", "x", "--node", "http://127.0.0.1:" + closed, "--keystore",
                keystore.toString(), "--password-file", passwordFile.toString(), "--operator", "ops", "--reason", "r");
        assertEquals(ExitCodes.FAILURE, unreachable.code());
        assertTrue(unreachable.err().contains("cannot reach the node"), unreachable.err());

        Run badNode = credentials("revoke", "x", "--node", "ftp://127.0.0.1", "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--operator", "ops", "--reason", "r");
        assertEquals(ExitCodes.USAGE, badNode.code());
        Run blank = credentials("revoke", " ", "--node", node, "--keystore", keystore.toString(),
                "--password-file", passwordFile.toString(), "--operator", "ops", "--reason", "r");
        assertEquals(ExitCodes.USAGE, blank.code());
        assertTrue(blank.err().contains("non-empty"), blank.err());
    }
}
