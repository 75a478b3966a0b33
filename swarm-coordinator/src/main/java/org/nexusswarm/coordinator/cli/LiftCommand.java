package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.monitor.KillSwitches;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarm lift request --entity|--pack|--rail ... --reason TEXT --node URL --operator-key FILE} asks a node
 * to lift an engaged kill switch: it opens a quorum approval with the approvers the target's policy names for
 * {@code safety.release}. Once they approved ({@code swarm approvals approve ID}),
 * {@code swarm lift apply --approval ID --node URL --operator-key FILE} releases the target. Both are signed by
 * the operator's key, as {@code swarm kill} is (same interim key file).
 */
@Command(name = "lift", mixinStandardHelpOptions = true,
        description = "Lift an engaged kill switch after a quorum approves (request, then apply).",
        subcommands = {LiftCommand.Request.class, LiftCommand.Apply.class})
final class LiftCommand implements Runnable {

    /** Exit code: the node refused (unknown operator, bad signature, stale or reused nonce, bad request). */
    static final int REFUSED = KillCommand.REFUSED;
    /** Exit code: not possible now (not engaged, no approvers in the policy, awaiting approval, rejected). */
    static final int CONFLICT = 7;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose 'request' or 'apply'");
    }

    /** Options both subcommands share. */
    static class NodeOptions {
        @CommandLine.Mixin
        AudienceOption audience;

        @Option(names = "--node", required = true, paramLabel = "URL",
                description = "The node's operator API, e.g. http://127.0.0.1:8558.")
        String node;

        @Option(names = "--operator-key", required = true, paramLabel = "FILE",
                description = "File with the operator's raw Ed25519 private key in base64. Its DID must be "
                        + "admitted as operator:* on the node.")
        Path operatorKey;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** POSTs {@code body} to {@code path}; returns the answer for 200, throws a {@link UserError} otherwise. */
        JsonNode post(String path, ObjectNode body, String what) throws InterruptedException {
            URI endpoint = endpoint(node, path);
            HttpResponse<String> response = OperatorHttp.postJson(node, endpoint, body.toString());
            JsonNode answer = parse(response.body());
            if (response.statusCode() == 200) {
                return answer;
            }
            String detail = answer.hasNonNull("error") ? answer.get("error").asText()
                    : response.body() == null || response.body().isBlank() ? "(no details)" : response.body().strip();
            int code = switch (response.statusCode()) {
                case 400, 403, 413 -> REFUSED;
                case 404 -> ExitCodes.NOT_FOUND;
                case 409 -> CONFLICT;
                default -> ExitCodes.FAILURE;
            };
            throw new UserError(code, "the node refused the " + what + " (HTTP " + response.statusCode() + "): "
                    + detail);
        }

        SwarmKeyPair keys() {
            return KillCommand.readKey(operatorKey, spec.commandLine().getErr());
        }

        /** The body {@code {"token"}} with a command of {@code kind} signed by the operator. */
        ObjectNode token(SwarmKeyPair keys, OperatorCommandKind kind, java.util.Map<String, Object> body) {
            return new ObjectMapper().createObjectNode().put("token", OperatorTokens.sign(keys, audience.resolve(),
                    kind, body));
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Ask for a quorum approval to lift the kill switch of an entity, a pack or a rail.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:approval opened", "1:node unreachable or failed", "2:bad command line or key file",
                    "6:refused (unknown operator, bad signature, stale or reused nonce, bad request)",
                    "7:not engaged, or no policy rule for safety.release names approvers"})
    static final class Request extends NodeOptions implements Callable<Integer> {

        @ArgGroup(exclusive = true, multiplicity = "1")
        KillCommand.Target target;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why it may be lifted.")
        String reason;

        @Override
        public Integer call() throws InterruptedException {
            KillTarget killTarget = target();
            if (reason.isBlank() || reason.length() > KillSwitches.MAX_REASON_CHARS) {
                throw new UserError(ExitCodes.USAGE, "--reason must have 1 to " + KillSwitches.MAX_REASON_CHARS
                        + " characters");
            }
            endpoint(node, "");
            SwarmKeyPair keys = keys();
            JsonNode answer = post("/kill-switch/lift-requests",
                    token(keys, OperatorCommandKind.LIFT_REQUEST, OperatorTokens.body("scope",
                            killTarget.scope().name(), "name", killTarget.name(), "reason", reason)), "lift request");
            String id = answer.path("approvalId").asText();
            JsonNode req = answer.path("requirement");
            spec.commandLine().getOut().println("Lift of the kill switch for " + killTarget + " awaits approval "
                    + id + ": " + req.path("k").asInt() + " of " + req.path("approvers").size()
                    + " approvers must approve within " + req.path("timeoutSeconds").asLong() + " s.");
            spec.commandLine().getOut().println("Next: approvers run `swarm approvals approve " + id
                    + "`; then `swarm lift apply --approval " + id + " --node " + node
                    + " --operator-key FILE` lifts it.");
            return ExitCodes.OK;
        }

        private KillTarget target() {
            try {
                if (target.entity != null) {
                    return KillTarget.entity(target.entity);
                }
                return target.pack != null ? KillTarget.pack(target.pack) : KillTarget.rail(target.rail);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Lift the kill switch once its lift approval is approved.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:lifted", "1:node unreachable or failed", "2:bad command line or key file",
                    "4:unknown approval",
                    "6:refused (unknown operator, bad signature, stale or reused nonce, bad request)",
                    "7:awaiting approval, rejected, expired, or not a lift approval"})
    static final class Apply extends NodeOptions implements Callable<Integer> {

        @Option(names = "--approval", required = true, paramLabel = "ID",
                description = "The approval id `swarm lift request` printed.")
        String approval;

        @Override
        public Integer call() throws InterruptedException {
            endpoint(node, "");
            SwarmKeyPair keys = keys();
            JsonNode answer = post("/kill-switch/lifts",
                    token(keys, OperatorCommandKind.LIFT, OperatorTokens.body("approvalId", approval)), "lift");
            JsonNode lifted = answer.path("lifted");
            spec.commandLine().getOut().println("Kill switch lifted for " + lifted.path("scope").asText() + " "
                    + lifted.path("name").asText() + " (approval " + approval + ")"
                    + ("CONFIRMED".equals(answer.path("replication").asText()) ? "; every node confirmed."
                            : "; gossip spreads it to the other nodes within seconds.")
                    + " Entities it stopped stay quarantined until released (swarm release).");
            return ExitCodes.OK;
        }
    }

    private static URI endpoint(String node, String path) {
        try {
            URI base = new URI(node.trim());
            if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
                throw new URISyntaxException(node, "expected http://HOST:PORT");
            }
            String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
            return new URI(base.getScheme(), null, base.getHost(), base.getPort(), prefix + path, null, null);
        } catch (URISyntaxException e) {
            throw new UserError(ExitCodes.USAGE, "--node " + node + ": not an http(s)://HOST:PORT address");
        }
    }

    private static JsonNode parse(String body) {
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException | RuntimeException e) {
            return json.createObjectNode();
        }
    }
}
