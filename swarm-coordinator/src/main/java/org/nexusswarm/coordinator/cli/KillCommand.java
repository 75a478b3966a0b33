package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;
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
 * {@code swarm kill --entity agent:x | --pack P | --rail R --reason TEXT --node URL --operator-key FILE}: engages
 * the cluster-wide kill switch through a node's operator API ({@code POST /kill-switch}), with a signed operator
 * command ({@link OperatorTokens}: a compact JWS, EdDSA, kind {@code kill}). It lives two minutes and its nonce is
 * spent cluster-wide on first use, so a captured order cannot be replayed.
 *
 * <p>Interim key handling: {@code --operator-key} is a file holding the raw 32-byte Ed25519 private key in
 * base64. It should move to the password-protected credential keystore (as {@code credentials revoke} does); the
 * command warns when the file is readable by others.
 */
@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Engage the cluster-wide kill switch for an entity, a pack or a rail (operator-signed).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:engaged", "1:node unreachable or failed", "2:bad command line or key file",
                "6:refused by the node (unknown operator, bad signature, stale or reused order, bad request)"})
final class KillCommand implements Callable<Integer> {

    /** Exit code: the node refused the order. */
    static final int REFUSED = 6;
    private static final int MAX_KEY_FILE_BYTES = 4096;

    /** Exactly one target. */
    static final class Target {
        @Option(names = "--entity", required = true, paramLabel = "KIND:ID", description = "One entity, e.g. agent:x.")
        String entity;

        @Option(names = "--pack", required = true, paramLabel = "PACK", description = "Every entity of a pack.")
        String pack;

        @Option(names = "--rail", required = true, paramLabel = "RAIL", description = "Every entity of a rail.")
        String rail;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept with the engagement).")
    String reason;

    @Option(names = "--node", required = true, paramLabel = "URL",
            description = "The node's operator API, e.g. http://127.0.0.1:8558.")
    String node;

    @Option(names = "--operator-key", required = true, paramLabel = "FILE",
            description = "File with the operator's raw Ed25519 private key in base64 (interim: to move to the "
                    + "credential keystore). Its DID must be admitted as operator:* on the node.")
    Path operatorKey;

    @CommandLine.Mixin
    AudienceOption audience;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        KillTarget killTarget = killTarget();
        if (reason.isBlank() || reason.length() > KillSwitches.MAX_REASON_CHARS) {
            throw new UserError(ExitCodes.USAGE, "--reason must have 1 to " + KillSwitches.MAX_REASON_CHARS
                    + " characters");
        }
        URI endpoint = endpoint(node);
        SwarmKeyPair keys = readKey(operatorKey, spec.commandLine().getErr());
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode().put("token", OperatorTokens.sign(keys, audience.resolve(),
                OperatorCommandKind.KILL,
                OperatorTokens.body("scope", killTarget.scope().name(), "name", killTarget.name(), "reason", reason)));
        HttpResponse<String> response = OperatorHttp.postJson(node, endpoint, body.toString());
        JsonNode answer = parse(json, response.body());
        if (response.statusCode() == 200) {
            boolean confirmed = "CONFIRMED".equals(answer.path("replication").asText());
            spec.commandLine().getOut().println("Kill switch engaged for " + killTarget + " by "
                    + answer.path("operator").asText(keys.did().shortForm()) + " via " + node
                    + (confirmed ? " (confirmed by every node)."
                            : " (on that node; gossip spreads it to the others within seconds)."));
            return ExitCodes.OK;
        }
        String detail = answer.hasNonNull("error") ? answer.get("error").asText()
                : response.body() == null || response.body().isBlank() ? "(no details)" : response.body().strip();
        int code = refused(response.statusCode()) ? REFUSED : ExitCodes.FAILURE;
        throw new UserError(code, "the node refused the kill order (HTTP " + response.statusCode() + "): " + detail);
    }

    /** The statuses that mean "the node refused the command" (not "the node failed"). */
    static boolean refused(int status) {
        return status == 400 || status == 403 || status == 413;
    }

    private KillTarget killTarget() {
        try {
            if (target.entity != null) {
                return KillTarget.entity(target.entity);
            }
            return target.pack != null ? KillTarget.pack(target.pack) : KillTarget.rail(target.rail);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    static SwarmKeyPair readKey(Path file, PrintWriter err) {
        byte[] content;
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new UserError(ExitCodes.USAGE, "operator key file " + file + " is too large to be a key");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.USAGE, "operator key file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read operator key file " + file + ": " + e.getMessage());
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "operator key file " + file
                    + " must hold the raw Ed25519 private key in base64");
        }
        if (key.length != 32) {
            throw new UserError(ExitCodes.USAGE, "operator key file " + file + " holds " + key.length
                    + " bytes; an Ed25519 private key has 32");
        }
        warnIfShared(file, err);
        return SwarmKeyPair.of(key);
    }

    private static void warnIfShared(Path file, PrintWriter err) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("warning: operator key file " + file + " is readable by other users (chmod 600 it)");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static URI endpoint(String node) {
        try {
            URI base = new URI(node.trim());
            if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
                throw new URISyntaxException(node, "expected http://HOST:PORT");
            }
            String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
            return new URI(base.getScheme(), null, base.getHost(), base.getPort(), path + "/kill-switch", null, null);
        } catch (URISyntaxException e) {
            throw new UserError(ExitCodes.USAGE, "--node " + node + ": not an http(s)://HOST:PORT address");
        }
    }

    private static JsonNode parse(ObjectMapper json, String body) {
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException | RuntimeException e) {
            return json.createObjectNode(); // not JSON: the caller shows the text as sent
        }
    }
}
