package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.monitor.Ladder;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.policy.PolicyRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swarm policy check|push|show}: validate a policy file offline, push a signed policy change to a
 * node's operator API, and show a scope's current policy.
 *
 * <p>The operator key is, for now, a file holding the raw 32-byte Ed25519 private key in base64; it should
 * move to the credential keystore.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check, push and show policy files (policy as code).",
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Push.class, PolicyCommand.Show.class})
public final class PolicyCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "choose a subcommand: 'policy check', 'policy push' or 'policy show'");
    }

    /** {@code swarm policy check FILE}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Parse and validate a policy file offline and print what it allows.")
    static final class Check implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy file (HOCON).")
        Path file;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Policy policy = parse(file, read(file));
            summarize(policy, spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }

    /** {@code swarm policy push FILE --scope S --node URL --operator-key FILE}. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Sign a policy file with an operator key and send it to a node, which journals and publishes it.")
    static final class Push implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy file (HOCON).")
        Path file;

        @Option(names = "--scope", required = true, paramLabel = "SCOPE",
                description = "rail:<name> or pack:<name>; must match the file's scope.")
        String scope;

        @Option(names = "--node", required = true, paramLabel = "URL",
                description = "The node's operator API, e.g. http://127.0.0.1:8558")
        String node;

        @Option(names = "--operator-key", required = true, paramLabel = "FILE",
                description = "File with the operator's raw 32-byte Ed25519 private key in base64.")
        Path operatorKey;

        @picocli.CommandLine.Mixin
        AudienceOption audience;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String text = read(file);
            Policy policy = parse(file, text);
            if (!policy.scope().equals(scope)) {
                throw new UserError(ExitCodes.USAGE, file + " declares scope " + policy.scope() + ", not " + scope
                        + "; push it with --scope " + policy.scope() + " or fix the file");
            }
            SwarmKeyPair keys = operatorKey(operatorKey);
            // One signed operator command (kind policy): a random nonce, a two-minute expiry.
            String body = JSON.createObjectNode().put("token", OperatorTokens.sign(keys, audience.resolve(),
                    OperatorCommandKind.POLICY,
                    OperatorTokens.body("scope", scope, "text", text))).toString();
            HttpRequest request = HttpRequest.newBuilder(policyUri(node, scope)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            HttpResponse<String> response = send(request, node);
            JsonNode json = json(response);
            if (response.statusCode() != 200) {
                throw new UserError(ExitCodes.FAILURE, "the node refused the policy (HTTP " + response.statusCode()
                        + "): " + json.path("error").asText(response.body()));
            }
            spec.commandLine().getOut().println("Accepted: " + scope + " is now at version "
                    + json.path("version").asLong() + " (sha256 " + policy.sha256() + "), signed by "
                    + keys.did().value() + ".");
            return ExitCodes.OK;
        }
    }

    /** {@code swarm policy show --scope S --node URL}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a scope's current policy and version.")
    static final class Show implements Callable<Integer> {

        @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "rail:<name> or pack:<name>")
        String scope;

        @Option(names = "--node", required = true, paramLabel = "URL", description = "The node's operator API URL.")
        String node;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            HttpRequest request = HttpRequest.newBuilder(policyUri(node, scope)).timeout(REQUEST_TIMEOUT).GET().build();
            HttpResponse<String> response = send(request, node);
            JsonNode json = json(response);
            if (response.statusCode() == 404) {
                throw new UserError(ExitCodes.NOT_FOUND, json.path("error").asText("no policy for " + scope));
            }
            if (response.statusCode() != 200) {
                throw new UserError(ExitCodes.FAILURE, "the node answered HTTP " + response.statusCode() + ": "
                        + json.path("error").asText(response.body()));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("# " + json.path("scope").asText() + " version " + json.path("version").asLong()
                    + ", sha256 " + json.path("sha256").asText() + ", set by " + json.path("operatorDid").asText());
            out.print(json.path("text").asText());
            out.flush();
            return ExitCodes.OK;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.NOT_FOUND, "no such file: " + file);
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    static Policy parse(Path file, String text) {
        try {
            return PolicyParser.parse(text);
        } catch (PolicyParseException e) {
            throw new UserError(ExitCodes.USAGE, file + " is not a valid policy: " + e.getMessage());
        }
    }

    /** The operator key pair from a file holding the raw 32-byte Ed25519 private key in base64. */
    static SwarmKeyPair operatorKey(Path file) {
        String content = read(file).strip();
        try {
            return SwarmKeyPair.of(Base64.getDecoder().decode(content));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, file + " does not hold an operator key: expected the raw 32-byte "
                    + "Ed25519 private key in base64 (" + e.getMessage() + ")");
        }
    }

    static URI policyUri(String node, String scope) {
        if (!Policy.isValidScope(scope)) {
            throw new UserError(ExitCodes.USAGE, "'" + scope + "' is not a policy scope: use rail:<name> or pack:<name>");
        }
        URI base;
        try {
            base = URI.create(node.endsWith("/") ? node : node + "/");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--node '" + node + "' is not a URL: " + e.getMessage());
        }
        if ((!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) || base.getHost() == null) {
            throw new UserError(ExitCodes.USAGE, "--node '" + node + "' is not an http(s)://HOST:PORT URL");
        }
        return base.resolve("policies/" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(HttpRequest request, String node) {
        return OperatorHttp.send(node, request);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** One line for the policy, one per rule, one for the monitors. */
    static void summarize(Policy p, PrintWriter out) {
        out.println("OK: " + p.versionTag() + " (" + p.id() + "), " + p.rules().size() + " rules, sha256 " + p.sha256());
        for (PolicyRule r : p.rules()) {
            out.printf("  %-20s %-28s %s%n", r.id(), r.action(), describe(r));
        }
        MonitorThresholds m = p.monitors();
        out.println("  monitors: window " + m.window().toString().substring(2).toLowerCase()
                + "; denial-rate " + ladder(m.denialRate()) + "; actions-per-minute " + ladder(m.actionsPerMinute())
                + "; oscillation " + ladder(m.oscillation()) + "; parameter-flapping " + ladder(m.parameterFlapping())
                + " (swings of " + Math.round(m.flappingAmplitude() * 100) + "%)"
                + "; envelope-drift " + ladder(m.envelopeDrift()));
        out.println("  Anything else is denied (NO_RULE).");
    }

    private static String describe(PolicyRule r) {
        if (r.deny()) {
            return "DENIED outright";
        }
        List<String> parts = new ArrayList<>();
        if (!r.places().isEmpty()) {
            parts.add("places " + r.places());
        }
        r.parameters().forEach((name, env) -> parts.add(name + " " + env));
        if (!r.timeWindows().isEmpty()) {
            parts.add("when " + r.timeWindows());
        }
        r.rateLimit().ifPresent(l -> parts.add("at most " + l));
        r.resourceCaps().forEach((name, cap) -> parts.add(name + " <= " + cap));
        r.approval().ifPresent(a -> parts.add(a.kind() == org.nexusswarm.safety.api.approval.ApprovalRequirement.Kind.CO_SIGN
                ? "co-sign by 1 of " + a.approvers().size() + " within " + a.timeout().toString().substring(2).toLowerCase()
                : "quorum " + a.k() + " of " + a.approvers().size() + " within "
                        + a.timeout().toString().substring(2).toLowerCase()));
        r.after().ifPresent(seq -> parts.add("the approval only " + seq));
        return parts.isEmpty() ? "allowed" : "allowed: " + String.join("; ", parts);
    }

    private static String ladder(Ladder l) {
        return "warn " + rung(l.warn()) + "/throttle " + rung(l.throttle()) + "/approval " + rung(l.requireApproval())
                + "/kill " + rung(l.kill());
    }

    private static String rung(double v) {
        return Double.isNaN(v) ? "-" : (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }
}
