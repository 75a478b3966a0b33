package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarm node leave --node URL --operator-key FILE}: the node at URL leaves the cluster gracefully (its
 * shards move to the other nodes, then it stops). Asks the node its address first ({@code GET /cluster}) and
 * signs a {@code leave} naming exactly that node, so the order cannot be turned against another node.
 */
@Command(name = "leave", mixinStandardHelpOptions = true,
        description = "Make the node at --node leave the cluster gracefully (operator-signed).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the node is leaving", "1:node unreachable or failed", "2:bad command line or key file",
                "6:refused by the node"})
final class NodeLeaveCommand implements Callable<Integer> {

    @Option(names = "--node", required = true, paramLabel = "URL",
            description = "The leaving node's operator API, e.g. http://127.0.0.1:8558.")
    String node;

    @Option(names = "--operator-key", required = true, paramLabel = "FILE",
            description = "File with the operator's raw Ed25519 private key in base64 (admitted as operator:*).")
    Path operatorKey;

    @Option(names = "--reason", defaultValue = "leaving on the operator's order", paramLabel = "TEXT",
            description = "Why (logged by the node).")
    String reason;

    @CommandLine.Mixin
    AudienceOption audience;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        URI base = base(node);
        SwarmKeyPair keys = KillCommand.readKey(operatorKey, spec.commandLine().getErr());
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> status = OperatorHttp.send(node, HttpRequest.newBuilder(base.resolve("cluster"))
                .timeout(OperatorHttp.TIMEOUT).GET().build());
        String self = read(json, status.body()).path("self").asText("");
        if (status.statusCode() != 200 || self.isEmpty()) {
            throw new UserError(ExitCodes.FAILURE, "the node at " + node + " did not say which node it is (HTTP "
                    + status.statusCode() + ")");
        }
        String token = OperatorTokens.sign(keys, audience.resolve(), OperatorCommandKind.LEAVE,
                OperatorTokens.body("node", self, "reason", reason));
        HttpResponse<String> response = OperatorHttp.postJson(node, base.resolve("cluster/leave"),
                json.createObjectNode().put("token", token).toString());
        JsonNode answer = read(json, response.body());
        if (response.statusCode() == 200) {
            spec.commandLine().getOut().println(self + " is leaving the cluster (was " + answer.path("statusBefore")
                    .asText() + "); its shards move to the other nodes, then it stops.");
            return ExitCodes.OK;
        }
        String detail = answer.hasNonNull("error") ? answer.get("error").asText() : response.body();
        throw new UserError(KillCommand.refused(response.statusCode()) ? KillCommand.REFUSED : ExitCodes.FAILURE,
                "the node refused to leave (HTTP " + response.statusCode() + "): " + detail);
    }

    private static URI base(String node) {
        try {
            URI u = new URI(node.trim().replaceAll("/+$", "") + "/");
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (Exception e) {
            throw new UserError(ExitCodes.USAGE, "--node " + node + ": not an http(s)://HOST:PORT address");
        }
    }

    private static JsonNode read(ObjectMapper json, String body) {
        try {
            return json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
