package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.coordinator.http.LiftTestNode;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.VoteReply;
import org.nexusswarm.safety.api.monitor.KillTarget;
import picocli.CommandLine;

/** {@code swarm lift request} then {@code swarm lift apply} against a real node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiftCommandTest {

    private LiftTestNode node;

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws Exception {
        node = new LiftTestNode("LiftCommandTest");
    }

    @AfterAll
    void stop() throws Exception {
        node.close();
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LiftCommand());
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

    private void vote(String id, int approver) throws Exception {
        ActorSystem<?> system = node.testKit.system();
        String vote = org.nexusswarm.safety.api.operator.OperatorTokens.sign(node.approvers.get(approver),
                org.nexusswarm.coordinator.http.OperatorBodies.AUDIENCE,
                org.nexusswarm.safety.api.operator.OperatorCommandKind.VOTE,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("approvalId", id, "approve", true, "comment", "ok"));
        VoteReply reply = org.nexusswarm.safety.api.operator.OperatorCommands.get(system).vote(id, vote)
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertFalse(reply instanceof VoteReply.Refused, String.valueOf(reply));
    }

    @Test
    void requestThenApplyLiftsTheRail() throws Exception {
        Path key = Files.writeString(tmp.resolve("op.key"),
                Base64.getEncoder().encodeToString(node.operatorPrivateKey));
        Run notEngaged = run("request", "--rail", LiftTestNode.RAIL, "--reason", "over", "--node", node.url(),
                "--operator-key", key.toString());
        assertEquals(LiftCommand.CONFLICT, notEngaged.code(), notEngaged.err());

        node.killSwitch.engage(KillTarget.rail(LiftTestNode.RAIL), "operator:alice", "flood")
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Run request = run("request", "--rail", LiftTestNode.RAIL, "--reason", "over", "--node", node.url(),
                "--operator-key", key.toString());
        assertEquals(0, request.code(), request.err());
        Matcher m = Pattern.compile("awaits approval (\\S+):").matcher(request.out());
        assertTrue(m.find(), request.out());
        String id = m.group(1);
        assertTrue(request.out().contains("swarm approvals approve " + id), request.out());

        Run early = run("apply", "--approval", id, "--node", node.url(), "--operator-key", key.toString());
        assertEquals(LiftCommand.CONFLICT, early.code(), early.err());
        assertTrue(early.err().contains("awaits approval"), early.err());

        vote(id, 0);
        vote(id, 1);
        Run apply = run("apply", "--approval", id, "--node", node.url(), "--operator-key", key.toString());
        assertEquals(0, apply.code(), apply.err());
        assertTrue(apply.out().contains("Kill switch lifted for RAIL " + LiftTestNode.RAIL), apply.out());
        assertFalse(node.killSwitch.covers("agent:x", LiftTestNode.RAIL, null));

        Run unknown = run("apply", "--approval", "nope", "--node", node.url(), "--operator-key", key.toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.code(), unknown.err());
        assertEquals(ExitCodes.USAGE, run("request", "--rail", "r", "--reason", "x").code());
    }
}
