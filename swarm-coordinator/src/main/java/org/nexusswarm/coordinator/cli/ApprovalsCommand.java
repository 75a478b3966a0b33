package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.safety.api.approval.Approvals;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swarm approvals ...}: list the pending approval requests of a running node's operator API, and approve or
 * deny one with an approver key; {@code keygen} makes such a key.
 *
 * <p>A vote is signed here, with the approver's Ed25519 key, over the approval id, the verdict, a nonce (the current
 * time in microseconds, so the node detects replays) and the comment; the node only checks the signature. The key
 * is a file holding the raw 32-byte private key in base64, readable by its owner only. Caveat: an interim format,
 * until approver keys move into the password-protected credential keystore.
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "List pending approval requests and approve or deny them with an approver key.",
        subcommands = {ApprovalsCommand.ListPending.class, ApprovalsCommand.Approve.class,
                ApprovalsCommand.Deny.class, ApprovalsCommand.Keygen.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:unexpected failure, or the node cannot be reached",
                "2:bad command line or key file", "4:approval request or key file not found",
                "6:the node refused the vote"})
final class ApprovalsCommand implements Runnable {

    /** Exit code: the node refused the vote (not an approver, forged, replayed, duplicate, already decided). */
    static final int REFUSED = 6;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_KEY_FILE_BYTES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose a subcommand, e.g. 'approvals list --node http://127.0.0.1:8558'");
    }

    /** {@code swarm approvals list --node URL}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the pending approval requests, oldest first.")
    static final class ListPending implements Callable<Integer> {

        @Option(names = "--node", required = true, paramLabel = "URL",
                description = "The node's operator API, e.g. http://127.0.0.1:8558.")
        String node;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            URI uri = endpoint(node, "/approvals");
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(), node);
            JsonNode body = parse(response);
            if (response.statusCode() != 200 || !body.path("pending").isArray()) {
                throw new UserError(ExitCodes.FAILURE, "listing approvals failed (HTTP " + response.statusCode()
                        + "): " + errorOf(body, response.body()));
            }
            PrintWriter out = spec.commandLine().getOut();
            JsonNode pending = body.get("pending");
            if (pending.isEmpty()) {
                out.println("No pending approvals on " + node + ".");
                return ExitCodes.OK;
            }
            out.println(pending.size() + " pending approval(s) on " + node + ":");
            for (JsonNode v : pending) {
                JsonNode r = v.path("requirement");
                out.printf("%s%n  %s %s for %s, intent %s: %s%n  votes: %d yes, %d no of %s needed from %d"
                                + " approvers; deadline %s%n",
                        v.path("approvalId").asText(), r.path("kind").asText(), v.path("actionClass").asText(),
                        v.path("requester").asText(), v.path("intentId").asText(), v.path("summary").asText(),
                        v.path("approvedBy").size(), v.path("rejectedBy").size(), r.path("k").asText(),
                        r.path("n").asInt(), v.path("deadline").asText());
            }
            return ExitCodes.OK;
        }
    }

    /** What approve and deny share: the request, the node, the key and the comment. */
    abstract static class Vote implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The approval id, as 'approvals list' prints it.")
        String approvalId;

        @Option(names = "--node", required = true, paramLabel = "URL",
                description = "The node's operator API, e.g. http://127.0.0.1:8558.")
        String node;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "The approver's key file (from 'approvals keygen').")
        Path keyFile;

        @CommandLine.Mixin
        AudienceOption audience;

        @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "",
                description = "Why (signed and journaled with the vote).")
        String comment;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract boolean approve();

        @Override
        public Integer call() throws InterruptedException {
            if (!Approvals.isValidId(approvalId)) {
                throw new UserError(ExitCodes.USAGE, "not an approval id: '" + approvalId + "' (1-"
                        + Approvals.MAX_ID_CHARS + " characters of A-Z a-z 0-9 . _ : @ -)");
            }
            if (comment.length() > Approvals.MAX_COMMENT_CHARS) {
                throw new UserError(ExitCodes.USAGE, "--comment must be at most " + Approvals.MAX_COMMENT_CHARS
                        + " characters");
            }
            URI uri = endpoint(node, "/approvals/" + approvalId + "/votes");
            SwarmKeyPair keys = readKey(keyFile, spec.commandLine().getErr());
            // One signed operator command (kind vote) by the approver's key: random nonce, two-minute expiry.
            ObjectNode body = JSON.createObjectNode().put("token", OperatorTokens.sign(keys, audience.resolve(),
                    OperatorCommandKind.VOTE,
                    OperatorTokens.body("approvalId", approvalId, "approve", approve(), "comment", comment)));
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), node);
            JsonNode answer = parse(response);
            if (response.statusCode() == 200) {
                PrintWriter out = spec.commandLine().getOut();
                out.println((approve() ? "Approved " : "Denied ") + approvalId + " as " + keys.did().shortForm()
                        + ". Status: " + answer.path("status").asText() + " (" + answer.path("approvedBy").size()
                        + " yes, " + answer.path("rejectedBy").size() + " no of "
                        + answer.path("requirement").path("k").asText() + " needed)");
                if (answer.hasNonNull("decision")) {
                    out.println("Decision: " + answer.path("decision").path("reason").asText());
                }
                return ExitCodes.OK;
            }
            String detail = errorOf(answer, response.body());
            int code = switch (response.statusCode()) {
                case 403, 409, 413 -> REFUSED;
                case 404 -> ExitCodes.NOT_FOUND;
                case 400 -> ExitCodes.USAGE;
                default -> ExitCodes.FAILURE;
            };
            throw new UserError(code, "the node refused the vote (HTTP " + response.statusCode() + "): " + detail);
        }
    }

    /** {@code swarm approvals approve ID --node URL --key FILE [--comment TEXT]}. */
    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Sign and cast an approving vote.")
    static final class Approve extends Vote {
        @Override
        boolean approve() {
            return true;
        }
    }

    /** {@code swarm approvals deny ID --node URL --key FILE [--comment TEXT]}. */
    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Sign and cast a denying vote.")
    static final class Deny extends Vote {
        @Override
        boolean approve() {
            return false;
        }
    }

    /** {@code swarm approvals keygen --out FILE}. */
    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create an approver key (owner-only file) and print its DID, to name in requirements.")
    static final class Keygen implements Callable<Integer> {

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key.")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path parent = out.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new UserError(ExitCodes.NOT_FOUND, "directory " + parent + " does not exist");
            }
            // An Ed25519 private key is 32 random bytes (SwarmKeyPair never hands its private key out again).
            byte[] secret = new byte[Ed25519.KEY_BYTES];
            RANDOM.nextBytes(secret);
            SwarmKeyPair keys = SwarmKeyPair.of(secret);
            try {
                writeOwnerOnly(out, Base64.getEncoder().encodeToString(secret) + "\n");
            } catch (FileAlreadyExistsException e) {
                throw new UserError(ExitCodes.USAGE, out + " already exists; refusing to overwrite a key");
            } catch (IOException e) {
                throw new UserError(ExitCodes.FAILURE, "cannot write " + out + ": " + e.getMessage());
            }
            PrintWriter print = spec.commandLine().getOut();
            print.println(keys.did().value());
            print.println("Approver key written to " + out + " (readable by you only; keep it secret)."
                    + " Name the DID above in an approval requirement.");
            return ExitCodes.OK;
        }
    }

    /** Creates {@code file} readable and writable by its owner only, atomically on POSIX file systems. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        Path directory = file.toAbsolutePath().getParent();
        if (Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } else {
            Files.createFile(file);
            java.io.File f = file.toFile();
            f.setReadable(false, false);
            f.setWritable(false, false);
            f.setReadable(true, true);
            f.setWritable(true, true);
        }
        Files.write(file, bytes);
    }

    /** Reads a key file written by {@code keygen}; warns when others may read it. */
    static SwarmKeyPair readKey(Path file, PrintWriter err) {
        byte[] raw;
        if (Files.isDirectory(file)) {
            throw new UserError(ExitCodes.USAGE, file + " is a directory, not a key file");
        }
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new UserError(ExitCodes.USAGE, file + " is too large to be an approver key");
            }
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.NOT_FOUND, "key file " + file + " not found (create one with "
                    + "'swarm approvals keygen --out " + file + "')");
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read key file " + file + ": " + e.getMessage());
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            secret = new byte[0];
        }
        if (secret.length != Ed25519.KEY_BYTES) {
            throw new UserError(ExitCodes.USAGE, file + " does not hold an approver key (base64 of a 32-byte Ed25519"
                    + " private key, as 'swarm approvals keygen' writes)");
        }
        warnIfShared(file, err);
        return SwarmKeyPair.of(secret);
    }

    private static void warnIfShared(Path file, PrintWriter err) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                err.println("warning: " + file + " is accessible to other users ("
                        + PosixFilePermissions.toString(perms) + "); run 'chmod 600 " + file + "'");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    static URI endpoint(String node, String path) {
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

    static HttpResponse<String> send(HttpRequest request, String node) {
        return OperatorHttp.send(node, request);
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String errorOf(JsonNode body, String raw) {
        if (body.hasNonNull("error")) {
            return body.get("error").asText();
        }
        return raw == null || raw.isBlank() ? "(no details)" : raw.strip();
    }
}
