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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.coordinator.http.ApprovalTestNode;
import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import picocli.CommandLine;

/**
 * {@code swarm approvals}: keygen, list, approve and deny against a real operator API on a one-node cluster, and
 * one plain message with a specific exit code for every bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalsCommandTest {

    @TempDir
    Path tmp;

    private ApprovalTestNode node;

    @BeforeAll
    void start() throws Exception {
        node = new ApprovalTestNode("ApprovalsCommandTest");
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private record Run(int code, String out, String err) {}

    /** Runs {@code approvals ...} with the same error handling as {@link SwarmCli#execute}. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine cli = new CommandLine(new ApprovalsCommand());
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

    /** A fresh approver key file and its DID. */
    private record Key(Path file, String did) {}

    private Key keygen(String name) {
        Path file = tmp.resolve(name);
        Run r = run("keygen", "--out", file.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String did = r.out().lines().findFirst().orElseThrow();
        assertTrue(did.startsWith("did:nexus:"), r.out());
        return new Key(file, did);
    }

    private String openFor(List<Key> approvers, int k) throws Exception {
        String id = ApprovalTestNode.freshId("cli");
        node.open(id, new ApprovalRequirement(k == 1 ? ApprovalRequirement.Kind.CO_SIGN
                : ApprovalRequirement.Kind.QUORUM, k, approvers.stream().map(Key::did).toList(),
                Duration.ofMinutes(10)));
        return id;
    }

    private static void assertPlain(Run r, int code, String expected) {
        assertEquals(code, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void keygenWritesAnOwnerOnlyKeyAndPrintsItsDid() throws IOException {
        Key key = keygen("approver.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.file())));
        byte[] secret = Base64.getDecoder().decode(Files.readString(key.file()).strip());
        assertEquals(Ed25519.KEY_BYTES, secret.length);
        assertEquals(key.did(), org.nexusswarm.actors.identity.SwarmKeyPair.of(secret).did().value());
    }

    @Test
    void keygenRefusesToOverwriteAKeyOrWriteIntoNowhere() {
        Key key = keygen("once.key");
        assertPlain(run("keygen", "--out", key.file().toString()), ExitCodes.USAGE, "already exists");
        assertPlain(run("keygen", "--out", tmp.resolve("no/such/dir/k").toString()), ExitCodes.NOT_FOUND,
                "does not exist");
    }

    @Test
    void approveReachesTheCoSignatureAndTheRequesterLearnsIt() throws Exception {
        Key human = keygen("human.key");
        Key other = keygen("other-human.key");
        String id = openFor(List.of(human, other), 1);

        node.decisions.awaitAssert(Duration.ofSeconds(10), () -> {
            Run list = run("list", "--node", node.url());
            assertEquals(ExitCodes.OK, list.code(), list.err());
            assertTrue(list.out().contains(id) && list.out().contains("CO_SIGN water.divert"), list.out());
            return null;
        });

        Run approve = run("approve", id, "--node", node.url(), "--key", human.file().toString(),
                "--comment", "checked the reservoir level");
        assertEquals(ExitCodes.OK, approve.code(), approve.err());
        assertTrue(approve.out().contains("Approved " + id) && approve.out().contains("Status: APPROVED"),
                approve.out());
        assertTrue(approve.out().contains("Decision: co-signed by 1 of 2"), approve.out());
        ApprovalDecided decided = node.decisions.expectMessageClass(ApprovalDecided.class, Duration.ofSeconds(10));
        assertEquals(id, decided.approvalId());
        assertEquals(List.of(human.did()), decided.voters());

        assertPlain(run("deny", id, "--node", node.url(), "--key", other.file().toString()), ApprovalsCommand.REFUSED,
                "ALREADY_DECIDED");
    }

    @Test
    void denyCountsAndASecondVoteIsRefused() throws Exception {
        Key a = keygen("a.key");
        Key b = keygen("b.key");
        Key c = keygen("c.key");
        String id = openFor(List.of(a, b, c), 2);
        Run deny = run("deny", id, "--node", node.url(), "--key", a.file().toString());
        assertEquals(ExitCodes.OK, deny.code(), deny.err());
        assertTrue(deny.out().contains("Denied " + id) && deny.out().contains("Status: PENDING (0 yes, 1 no of 2"),
                deny.out());
        assertPlain(run("approve", id, "--node", node.url(), "--key", a.file().toString()), ApprovalsCommand.REFUSED,
                "DUPLICATE_VOTER");
    }

    @Test
    void aKeyThatIsNotAnApproverIsRefused() throws Exception {
        Key approver = keygen("the-approver.key");
        Key stranger = keygen("stranger.key");
        String id = openFor(List.of(approver), 1);
        assertPlain(run("approve", id, "--node", node.url(), "--key", stranger.file().toString()),
                ApprovalsCommand.REFUSED, "NOT_APPROVER");
    }

    @Test
    void unknownAndInvalidApprovalIds() {
        Key key = keygen("ids.key");
        assertPlain(run("approve", ApprovalTestNode.freshId("nobody"), "--node", node.url(), "--key",
                key.file().toString()), ExitCodes.NOT_FOUND, "UNKNOWN_REQUEST");
        assertPlain(run("approve", "a/b", "--node", node.url(), "--key", key.file().toString()), ExitCodes.USAGE,
                "not an approval id");
    }

    @Test
    void missingMalformedAndSharedKeyFiles() throws IOException {
        String id = ApprovalTestNode.freshId("keys");
        assertPlain(run("approve", id, "--node", node.url(), "--key", tmp.resolve("absent.key").toString()),
                ExitCodes.NOT_FOUND, "not found");
        Path garbage = Files.writeString(tmp.resolve("garbage.key"), "this is not base64 ***");
        assertPlain(run("approve", id, "--node", node.url(), "--key", garbage.toString()), ExitCodes.USAGE,
                "does not hold an approver key");
        Path shortKey = Files.writeString(tmp.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[16]));
        assertPlain(run("approve", id, "--node", node.url(), "--key", shortKey.toString()), ExitCodes.USAGE,
                "does not hold an approver key");
        Path huge = Files.writeString(tmp.resolve("huge.key"), "A".repeat(5000));
        assertPlain(run("approve", id, "--node", node.url(), "--key", huge.toString()), ExitCodes.USAGE,
                "too large");
        Path directory = Files.createDirectory(tmp.resolve("a-directory.key"));
        assertPlain(run("approve", id, "--node", node.url(), "--key", directory.toString()), ExitCodes.USAGE,
                "key file");

        Key shared = keygen("shared.key");
        Files.setPosixFilePermissions(shared.file(), PosixFilePermissions.fromString("rw-r--r--"));
        Run r = run("approve", id, "--node", node.url(), "--key", shared.file().toString());
        assertTrue(r.err().contains("warning: " + shared.file() + " is accessible to other users"), r.err());
    }

    @Test
    void unreachableNodesAndBadAddressesGetPlainMessages() throws IOException {
        Key key = keygen("net.key");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String closed = "http://127.0.0.1:" + closedPort;
        assertPlain(run("list", "--node", closed), ExitCodes.FAILURE, "cannot reach the node at " + closed);
        assertPlain(run("approve", "x-1", "--node", closed, "--key", key.file().toString()), ExitCodes.FAILURE,
                "cannot reach the node at " + closed);
        assertPlain(run("list", "--node", "ftp://127.0.0.1:1"), ExitCodes.USAGE, "not an http(s)://HOST:PORT");
        assertPlain(run("list", "--node", "not a url"), ExitCodes.USAGE, "not an http(s)://HOST:PORT");
    }

    @Test
    void commandLineMistakesAreUsageErrors() {
        Key key = keygen("usage.key");
        assertEquals(ExitCodes.USAGE, run().code());
        assertEquals(ExitCodes.USAGE, run("list").code(), "--node is required");
        assertEquals(ExitCodes.USAGE, run("approve", "x-1", "--node", node.url()).code(), "--key is required");
        assertEquals(ExitCodes.USAGE, run("approve", "--node", node.url(), "--key", key.file().toString()).code(),
                "the id is required");
        assertPlain(run("approve", "x-1", "--node", node.url(), "--key", key.file().toString(), "--comment",
                "c".repeat(ApprovalRequest.MAX_COMMENT_CHARS + 1)), ExitCodes.USAGE, "--comment must be at most");
        assertEquals(ExitCodes.USAGE, run("keygen").code(), "--out is required");
    }
}
