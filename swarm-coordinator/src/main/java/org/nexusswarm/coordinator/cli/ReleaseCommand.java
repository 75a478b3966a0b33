package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarm release --entity kind:id --reason TEXT --node URL --operator-key FILE}: asks a quarantined
 * entity to be released. Its approvers (the policy's {@code safety.release} rule) must then approve with
 * {@code swarm approvals approve}; only then does the logic start again.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Ask a quarantined entity to be released (its policy's approvers must approve).")
final class ReleaseCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--entity", required = true, paramLabel = "KIND:ID", description = "The quarantined entity.")
    String entity;

    @Option(names = "--reason", required = true, description = "Why it may run again (journaled).")
    String reason;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "A node's operator API, http://HOST:PORT")
    String node;

    @Option(names = "--operator-key", required = true, paramLabel = "FILE",
            description = "Raw Ed25519 private key (base64) of an admitted operator.")
    Path operatorKey;

    @picocli.CommandLine.Mixin
    AudienceOption audience;

    @Override
    public Integer call() throws Exception {
        try {
            EntityAddress.parse(entity);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        SwarmKeyPair keys = KillCommand.readKey(operatorKey, spec.commandLine().getErr());
        URI uri;
        try {
            uri = URI.create(node.replaceAll("/+$", "") + "/entities/" + entity + "/release");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--node " + node + ": not an http://HOST:PORT address");
        }
        String body = new ObjectMapper().createObjectNode().put("token", OperatorTokens.sign(keys, audience.resolve(),
                OperatorCommandKind.RELEASE, OperatorTokens.body("entity", entity, "reason", reason))).toString();
        HttpResponse<String> response = OperatorHttp.postJson(node, uri, body);
        JsonNode answer = new ObjectMapper().readTree(response.body());
        if (response.statusCode() != 200) {
            throw new UserError(ExitCodes.FAILURE, "the node refused (HTTP " + response.statusCode() + "): "
                    + answer.path("error").asText(response.body()));
        }
        spec.commandLine().getOut().println(answer.path("entity").asText() + ": "
                + (answer.path("quarantined").asBoolean() ? "still quarantined; " : "active; ")
                + answer.path("reason").asText());
        return ExitCodes.OK;
    }
}
