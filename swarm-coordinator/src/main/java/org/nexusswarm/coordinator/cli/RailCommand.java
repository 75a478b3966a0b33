package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swarm rail ...}: rails as cluster state. {@code deploy|undeploy} send a signed operator command (kind
 * {@code rail-deploy} / {@code rail-undeploy}) to a node's operator API, {@code list|show} read it; all four are
 * thin adapters over {@code /rails} (see {@code RailRoutes}). {@code secret} manages the rail secrets in a node
 * keystore (local, no node contacted).
 */
@Command(name = "rail", mixinStandardHelpOptions = true,
        description = "Deploy, list, show and undeploy rails cluster-wide; manage rail secrets.",
        subcommands = {RailCommand.Deploy.class, RailCommand.ListRails.class, RailCommand.Show.class,
                RailCommand.Undeploy.class, RailSecretCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:node unreachable or failed", "2:bad command line or key file",
                "4:no such rail instance", "6:refused by the node (operator, signature, conflict, pack)"})
final class RailCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand (see 'rail --help')");
    }

    /** The node to talk to. */
    static final class NodeOption {
        @Option(names = "--node", required = true, paramLabel = "URL",
                description = "The node's operator API, e.g. http://127.0.0.1:8558.")
        String node;
    }

    /** The operator's key for signed commands. */
    static final class OperatorKey {
        @Option(names = "--operator-key", required = true, paramLabel = "FILE",
                description = "File with the operator's raw Ed25519 private key in base64 (its DID must be "
                        + "admitted as operator:* on the node).")
        Path file;
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy PACK/RAIL once into the running cluster (the node creates the instance's secret).")
    static final class Deploy implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PACK/RAIL", description = "e.g. climate/drought-watch")
        String rail;

        @Option(names = "--instance", description = "Entity id prefix and secret name (default: the rail's name).")
        String instance;

        @Option(names = "--pq", description = "Hybrid Ed25519 + ML-DSA-65 credentials, both required.")
        boolean postQuantum;

        @CommandLine.Mixin
        NodeOption node;

        @CommandLine.Mixin
        OperatorKey key;

        @CommandLine.Mixin
        AudienceOption audience;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            int slash = rail.indexOf('/');
            if (slash <= 0 || slash == rail.length() - 1) {
                throw new UserError(ExitCodes.USAGE, rail + ": expected PACK/RAIL, e.g. climate/drought-watch");
            }
            SwarmKeyPair keys = KillCommand.readKey(key.file, spec.commandLine().getErr());
            String token = OperatorTokens.sign(keys, audience.resolve(), OperatorCommandKind.RAIL_DEPLOY,
                    OperatorTokens.body("pack", rail.substring(0, slash), "rail", rail.substring(slash + 1),
                            "instance", instance == null ? "" : instance, "postQuantum", postQuantum));
            JsonNode answer = expectOk(node.node, post(node.node, "/rails", token), "deploy");
            spec.commandLine().getOut().println("Deployed " + rail + " as instance " + answer.path("instance").asText()
                    + " (" + answer.path("entities").asInt() + " entities, issuer " + answer.path("issuer").asText()
                    + ", credentials valid until " + answer.path("credentialsValidUntil").asText() + "). Nodes whose "
                    + "keystore holds its secret host it; export it with: swarm rail secret export --instance "
                    + answer.path("instance").asText() + " --out FILE (on the node's machine)");
            return ExitCodes.OK;
        }
    }

    @Command(name = "undeploy", mixinStandardHelpOptions = true,
            description = "Remove a rail instance from the cluster's deployment registry.")
    static final class Undeploy implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String instance;

        @CommandLine.Mixin
        NodeOption node;

        @CommandLine.Mixin
        OperatorKey key;

        @CommandLine.Mixin
        AudienceOption audience;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SwarmKeyPair keys = KillCommand.readKey(key.file, spec.commandLine().getErr());
            String token = OperatorTokens.sign(keys, audience.resolve(), OperatorCommandKind.RAIL_UNDEPLOY,
                    OperatorTokens.body("instance", instance));
            expectOk(node.node, post(node.node, "/rails/" + segment(instance) + "/undeploy", token), "undeploy");
            spec.commandLine().getOut().println("Undeployed rail instance " + instance + ": no node hosts it after its "
                    + "next restart (stop running entities now with: swarm kill --rail ...)");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The deployed rail instances.")
    static final class ListRails implements Callable<Integer> {
        @CommandLine.Mixin
        NodeOption node;

        @Option(names = "--json", description = "Print the node's JSON answer.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            JsonNode answer = expectOk(node.node, get(node.node, "/rails"), "list");
            if (json) {
                spec.commandLine().getOut().println(JSON.writeValueAsString(answer));
                return ExitCodes.OK;
            }
            var out = spec.commandLine().getOut();
            out.printf("%-24s %-28s %-7s %-10s %s%n", "INSTANCE", "PACK/RAIL", "POLICY", "HERE", "ISSUER");
            for (JsonNode r : answer.path("rails")) {
                out.printf("%-24s %-28s %-7s %-10s %s%n", r.path("instance").asText(),
                        r.path("pack").asText() + "/" + r.path("rail").asText(), r.path("policyVersion").asText(),
                        r.path("hostedHere").asBoolean() ? "hosted" : r.path("refusal").asText("-"),
                        r.path("issuer").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One rail instance's deployment record.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INSTANCE")
        String instance;

        @CommandLine.Mixin
        NodeOption node;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            JsonNode answer = expectOk(node.node, get(node.node, "/rails/" + segment(instance)), "show");
            spec.commandLine().getOut().println(JSON.writeValueAsString(answer));
            return ExitCodes.OK;
        }
    }

    private static HttpResponse<String> post(String node, String path, String token) {
        return OperatorHttp.postJson(node, endpoint(node, path),
                JSON.createObjectNode().put("token", token).toString());
    }

    private static HttpResponse<String> get(String node, String path) {
        return OperatorHttp.send(node, HttpRequest.newBuilder(endpoint(node, path)).timeout(OperatorHttp.TIMEOUT)
                .GET().build());
    }

    private static String segment(String instance) {
        return URLEncoder.encode(instance, StandardCharsets.UTF_8);
    }

    private static JsonNode expectOk(String node, HttpResponse<String> response, String what) {
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body() == null ? "" : response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (response.statusCode() == 200 && answer != null) {
            return answer;
        }
        String detail = answer != null && answer.hasNonNull("error") ? answer.get("error").asText()
                : String.valueOf(response.body()).strip();
        int code = switch (response.statusCode()) {
            case 404 -> ExitCodes.NOT_FOUND;
            case 400, 403, 409, 413 -> ExitCodes.REFUSED;
            default -> ExitCodes.FAILURE;
        };
        throw new UserError(code, "the node at " + node + " refused the rail " + what + " (HTTP "
                + response.statusCode() + "): " + detail);
    }

    private static URI endpoint(String node, String path) {
        try {
            URI base = new URI(node.trim());
            if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
                throw new URISyntaxException(node, "expected http://HOST:PORT");
            }
            String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
            return URI.create(base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":"
                    + base.getPort()) + prefix + path);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--node " + node + ": not an http(s)://HOST:PORT address");
        }
    }
}
