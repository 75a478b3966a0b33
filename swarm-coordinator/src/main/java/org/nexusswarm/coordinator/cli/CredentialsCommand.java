package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorTokens;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.api.credential.CredentialKeystore;
import org.nexusswarm.safety.api.credential.CredentialProblem;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.credential.MlDsa65;
import org.nexusswarm.safety.api.credential.TrustedIssuers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swarm credentials ...}: keys in a password-protected keystore, and verifiable credentials as W3C VC JSON
 * files: {@code keygen}, {@code list}, {@code issue}, {@code show}, {@code verify}, and {@code revoke} (signed
 * request to a running node's operator API).
 *
 * <p>The keystore password comes from {@code --password-file} or the environment variable
 * {@value #PASSWORD_ENV}, never from the command line (it would show in the process list and shell history).
 */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = "Issue, inspect, verify and revoke verifiable credentials (Ed25519, optionally + ML-DSA-65).",
        subcommands = {CredentialsCommand.Keygen.class, CredentialsCommand.ListKeys.class,
                CredentialsCommand.Issue.class, CredentialsCommand.Show.class, CredentialsCommand.Verify.class,
                CredentialsCommand.Revoke.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (verify: the credential is valid)", "1:unexpected failure",
                "2:bad command line, password or input", "4:file or alias not found",
                "6:credential invalid, or revocation refused by the node"})
public final class CredentialsCommand implements Runnable {

    /** Exit code: the credential does not verify, or the node refused the revocation. */
    public static final int INVALID = 6;
    public static final String PASSWORD_ENV = "NEXUS_KEYSTORE_PASSWORD";
    private static final int MAX_CREDENTIAL_FILE_BYTES = 1 << 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose a subcommand, e.g. 'credentials keygen' (see 'credentials --help')");
    }

    /** Keystore location and password, shared by the subcommands that use keys. */
    static final class KeystoreOptions {

        @Option(names = "--keystore", required = true, paramLabel = "FILE",
                description = "Keystore file (BCFKS; keygen creates it when missing).")
        Path keystore;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "File whose first line is the keystore password (default: env " + PASSWORD_ENV + ").")
        Path passwordFile;

        char[] password() {
            String password;
            if (passwordFile != null) {
                try {
                    List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                    password = lines.isEmpty() ? "" : lines.get(0);
                } catch (NoSuchFileException e) {
                    throw new UserError(ExitCodes.NOT_FOUND, "password file " + passwordFile + " does not exist");
                } catch (IOException e) {
                    throw new UserError(ExitCodes.USAGE, "cannot read password file " + passwordFile + ": "
                            + e.getMessage());
                }
            } else {
                password = System.getenv(PASSWORD_ENV);
                if (password == null) {
                    throw new UserError(ExitCodes.USAGE, "no keystore password: set " + PASSWORD_ENV
                            + " or pass --password-file FILE");
                }
            }
            if (password.isEmpty()) {
                throw new UserError(ExitCodes.USAGE, "the keystore password is empty");
            }
            return password.toCharArray();
        }

        CredentialKeystore open(boolean createIfMissing) {
            char[] password = password();
            try {
                return createIfMissing ? CredentialKeystore.openOrCreate(keystore, password)
                        : CredentialKeystore.open(keystore, password);
            } catch (CredentialKeystore.KeystoreException e) {
                throw keystoreError(e);
            } catch (UncheckedIOException e) {
                throw new UserError(ExitCodes.FAILURE, e.getMessage());
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    static UserError keystoreError(CredentialKeystore.KeystoreException e) {
        int code = switch (e.problem()) {
            case NOT_FOUND, NO_SUCH_ALIAS -> ExitCodes.NOT_FOUND;
            default -> ExitCodes.USAGE;
        };
        return new UserError(code, e.getMessage());
    }

    static IssuerKeys load(CredentialKeystore keystore, String alias) {
        try {
            return keystore.load(alias);
        } catch (CredentialKeystore.KeystoreException e) {
            throw keystoreError(e);
        }
    }

    static Credential readCredential(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_CREDENTIAL_FILE_BYTES) {
                throw new UserError(INVALID, file + " is too large to be a credential");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.NOT_FOUND, "credential file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
        }
        try {
            return Credential.fromJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new UserError(INVALID, file + ": " + e.getMessage());
        }
    }

    static Did did(String text, String option) {
        try {
            Did did = new Did(text.trim());
            if (did.publicKey().length != 32) {
                throw new IllegalArgumentException("not a Nexus DID: " + text);
            }
            return did;
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, option + ": " + e.getMessage() + " (expected did:nexus:...)");
        }
    }

    /** {@code swarm credentials keygen}. */
    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Generate an Ed25519 key (and with --pq an ML-DSA-65 key) under a new alias; prints the DID.")
    static final class Keygen implements Callable<Integer> {

        @Mixin
        KeystoreOptions keystore;

        @Option(names = "--alias", required = true, paramLabel = "NAME", description = "Alias of the new keys.")
        String alias;

        @Option(names = "--pq", description = "Also generate an ML-DSA-65 key (hybrid post-quantum proofs).")
        boolean pq;

        @Option(names = "--public-key-out", paramLabel = "FILE", description = "With --pq: where to write the "
                + "ML-DSA-65 public key (PEM) for verifiers (default: <alias>.mldsa65.pub.pem beside the keystore).")
        Path publicKeyOut;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String name;
            try {
                name = CredentialKeystore.normalize(alias);
            } catch (CredentialKeystore.KeystoreException e) {
                throw keystoreError(e);
            }
            Path pemFile = null;
            if (pq) {
                pemFile = publicKeyOut != null ? publicKeyOut
                        : keystore.keystore.toAbsolutePath().resolveSibling(name + ".mldsa65.pub.pem");
                if (Files.exists(pemFile)) {
                    throw new UserError(ExitCodes.USAGE, pemFile + " already exists; choose --public-key-out FILE");
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            try (CredentialKeystore store = keystore.open(true)) {
                IssuerKeys keys;
                try {
                    keys = store.generate(alias, pq);
                } catch (CredentialKeystore.KeystoreException e) {
                    throw keystoreError(e);
                }
                out.println(keys.did());
                if (pemFile != null) {
                    try {
                        Files.writeString(pemFile, MlDsa65.toPem(keys.mlDsaPublicKey().orElseThrow()));
                    } catch (IOException e) {
                        throw new UserError(ExitCodes.FAILURE, "keys stored, but the public key could not be "
                                + "written to " + pemFile + ": " + e.getMessage());
                    }
                    out.println("ML-DSA-65 public key: " + pemFile);
                }
                out.println("Stored under alias '" + name + "' in "
                        + store.file() + (pq ? " (Ed25519 + ML-DSA-65)" : " (Ed25519)"));
            }
            return ExitCodes.OK;
        }
    }

    /** {@code swarm credentials list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a keystore's aliases and DIDs.")
    static final class ListKeys implements Callable<Integer> {

        @Mixin
        KeystoreOptions keystore;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (CredentialKeystore store = keystore.open(false)) {
                if (store.aliases().isEmpty()) {
                    out.println("(no keys in " + store.file() + ")");
                }
                for (String alias : store.aliases()) {
                    IssuerKeys keys = load(store, alias);
                    out.printf("%-24s %s%s%n", alias, keys.did(), keys.postQuantum() ? "  +ML-DSA-65" : "");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code swarm credentials issue}. */
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a signed credential to a subject DID and write it as W3C VC JSON.")
    static final class Issue implements Callable<Integer> {

        @Mixin
        KeystoreOptions keystore;

        @Option(names = "--issuer", required = true, paramLabel = "ALIAS", description = "Issuer keys' alias.")
        String issuer;

        @Option(names = "--subject", required = true, paramLabel = "DID", description = "DID of the entity.")
        String subject;

        @Option(names = "--actions", required = true, split = ",", paramLabel = "CLASS",
                description = "Action classes it may perform, comma-separated.")
        List<String> actions;

        @Option(names = "--places", required = true, split = ",", paramLabel = "PLACE",
                description = "Regions/cells it may act in, comma-separated; globs like sahel-* and * (anywhere).")
        List<String> places;

        @Option(names = "--rate-per-minute", defaultValue = "0", paramLabel = "N",
                description = "Most intents per minute (default 0 = unlimited).")
        long ratePerMinute;

        @Option(names = "--fuel", defaultValue = "0", paramLabel = "N",
                description = "Fuel budget (default 0 = unlimited).")
        long fuel;

        @Option(names = "--cap", paramLabel = "NAME=VALUE",
                description = "Cap on a numeric intent parameter, e.g. --cap mw=50 (repeatable).")
        Map<String, Double> caps = new LinkedHashMap<>();

        @Option(names = "--valid-days", defaultValue = "30", paramLabel = "N",
                description = "Validity from now, in days (default ${DEFAULT-VALUE}).")
        int validDays;

        @Option(names = "--id", paramLabel = "ID",
                description = "Credential id, unique across the swarm (default: a random UUID).")
        String id;

        @Option(names = "--pq", description = "Add an ML-DSA-65 proof (the issuer alias needs an ML-DSA key).")
        boolean pq;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the JSON.")
        Path outFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (validDays < 1 || validDays > 3650) {
                throw new UserError(ExitCodes.USAGE, "--valid-days must be between 1 and 3650");
            }
            Did subjectDid = did(subject, "--subject");
            List<String> actionClasses = trimmed(actions);
            List<String> placePatterns = trimmed(places);
            if (actionClasses.isEmpty() || placePatterns.isEmpty()) {
                throw new UserError(ExitCodes.USAGE, "--actions and --places need at least one non-empty value");
            }
            Credential.Limits limits;
            try {
                limits = new Credential.Limits(ratePerMinute, fuel, caps);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "limits: " + e.getMessage());
            }
            String credentialId = id == null ? UUID.randomUUID().toString() : id.trim();
            IssuerKeys keys;
            try (CredentialKeystore store = keystore.open(false)) {
                keys = load(store, issuer);
            }
            if (pq && !keys.postQuantum()) {
                throw new UserError(ExitCodes.USAGE, "--pq: alias '" + issuer + "' has no ML-DSA-65 key (create one "
                        + "with 'credentials keygen --pq')");
            }
            IssuerKeys signer = pq ? keys : IssuerKeys.of(keys.ed25519());
            long now = System.currentTimeMillis();
            Credential credential;
            try {
                credential = Credential.issue(signer, credentialId, subjectDid, actionClasses, placePatterns, limits,
                        now, now + Duration.ofDays(validDays).toMillis());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
            try {
                Files.writeString(outFile, credential.toJson());
            } catch (IOException e) {
                throw new UserError(ExitCodes.FAILURE, "cannot write " + outFile + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("Issued credential " + credential.id() + " to " + subjectDid
                    + " (" + proofNames(credential) + "), valid until " + Instant.ofEpochMilli(credential.notAfter())
                    + ": " + outFile);
            return ExitCodes.OK;
        }

        private static List<String> trimmed(List<String> values) {
            List<String> out = new ArrayList<>();
            for (String v : values) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
            return out;
        }
    }

    /** {@code swarm credentials show FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a credential file's contents readably (does not verify it).")
    static final class Show implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "Credential JSON file.")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Credential c = readCredential(file);
            PrintWriter out = spec.commandLine().getOut();
            long now = System.currentTimeMillis();
            String state = now < c.notBefore() ? "not yet valid" : now > c.notAfter() ? "EXPIRED" : "in its window";
            out.printf("Credential  %s%n", c.id());
            out.printf("Issuer      %s%n", c.issuerDid());
            out.printf("Subject     %s%n", c.subjectDid());
            out.printf("Actions     %s%n", c.allowedActions().isEmpty() ? "(none)" : String.join(", ", c.allowedActions()));
            out.printf("Places      %s%n", String.join(", ", c.places()));
            out.printf("Limits      %s%n", c.limits());
            out.printf("Valid       %s .. %s (%s)%n", Instant.ofEpochMilli(c.notBefore()),
                    Instant.ofEpochMilli(c.notAfter()), state);
            out.printf("Proofs      %s%n", proofNames(c));
            out.println("Not verified: run 'swarm credentials verify " + file + " --issuer-did DID'.");
            return ExitCodes.OK;
        }
    }

    /** {@code swarm credentials verify FILE}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a credential against a trusted issuer; exit 0 when valid, " + INVALID
                    + " with the reason otherwise. Revocation is not checked (it lives on the nodes).")
    static final class Verify implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "Credential JSON file.")
        Path file;

        @Option(names = "--issuer-did", required = true, paramLabel = "DID", description = "The trusted issuer.")
        String issuerDid;

        @Option(names = "--issuer-mldsa-key", paramLabel = "FILE",
                description = "The issuer's ML-DSA-65 public key (PEM or DER), to check the post-quantum proof.")
        Path mlDsaKey;

        @Option(names = "--require-pq", description = "Refuse the credential unless its ML-DSA-65 proof verifies.")
        boolean requirePq;

        @Option(names = "--subject", paramLabel = "DID", description = "Also require this subject DID.")
        String subject;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Did issuer = did(issuerDid, "--issuer-did");
            if (requirePq && mlDsaKey == null) {
                throw new UserError(ExitCodes.USAGE, "--require-pq needs --issuer-mldsa-key FILE");
            }
            byte[] key = null;
            if (mlDsaKey != null) {
                try {
                    key = MlDsa65.readPublicKey(Files.readAllBytes(mlDsaKey));
                } catch (NoSuchFileException e) {
                    throw new UserError(ExitCodes.NOT_FOUND, "key file " + mlDsaKey + " does not exist");
                } catch (IOException e) {
                    throw new UserError(ExitCodes.FAILURE, "cannot read " + mlDsaKey + ": " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCodes.USAGE, mlDsaKey + ": " + e.getMessage());
                }
            }
            TrustedIssuers trust;
            try {
                trust = TrustedIssuers.none().with(issuer, key, requirePq);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "--issuer-mldsa-key " + mlDsaKey + ": " + e.getMessage());
            }
            Credential c = readCredential(file);
            Did expected = subject != null ? did(subject, "--subject") : did(c.subjectDid(), "credentialSubject.id");
            Optional<CredentialProblem> problem = c.check(expected, trust, System.currentTimeMillis());
            if (problem.isPresent()) {
                throw new UserError(INVALID, "credential invalid: " + problem.get());
            }
            PrintWriter out = spec.commandLine().getOut();
            String pqNote = !c.postQuantum() ? "Ed25519 proof verified"
                    : key != null ? "Ed25519 and ML-DSA-65 proofs verified"
                    : "Ed25519 proof verified; ML-DSA-65 proof present but not checked (no --issuer-mldsa-key)";
            out.println("VALID: credential " + c.id() + " from " + c.issuerDid() + " to " + c.subjectDid()
                    + ", until " + Instant.ofEpochMilli(c.notAfter()) + " (" + pqNote + ")");
            return ExitCodes.OK;
        }
    }

    /** {@code swarm credentials revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a credential on a running swarm: a request signed with an operator's key, sent to "
                    + "a node's operator API (POST /credentials/revocations).")
    static final class Revoke implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The credential id (as 'credentials show' prints it).")
        String credentialId;

        @Option(names = "--node", required = true, paramLabel = "URL",
                description = "The node's operator API, e.g. http://127.0.0.1:8558.")
        String node;

        @Mixin
        KeystoreOptions keystore;

        @Option(names = "--operator", required = true, paramLabel = "ALIAS",
                description = "Alias of the operator's keys (its DID must be admitted as operator:* on the node).")
        String operator;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (kept in the log).")
        String reason;

        @Mixin
        AudienceOption audience;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            if (credentialId.isBlank()) {
                throw new UserError(ExitCodes.USAGE, "the credential id must be non-empty");
            }
            if (reason.isBlank()) {
                throw new UserError(ExitCodes.USAGE, "--reason must not be empty");
            }
            URI endpoint = endpoint(node);
            IssuerKeys keys;
            try (CredentialKeystore store = keystore.open(false)) {
                keys = load(store, operator);
            }
            ObjectMapper json = new ObjectMapper();
            // A signed operator command: its nonce and two-minute expiry make a captured revocation useless.
            ObjectNode body = json.createObjectNode().put("token", OperatorTokens.sign(keys.ed25519(), audience.resolve(),
                    OperatorCommandKind.REVOKE, OperatorTokens.body("credentialId", credentialId, "reason", reason)));
            HttpResponse<String> response = OperatorHttp.postJson(node, endpoint, body.toString());
            String detail = errorOf(json, response.body());
            if (response.statusCode() == 200) {
                spec.commandLine().getOut().println("Revoked credential " + credentialId + " on " + node
                        + " (operator " + keys.did().shortForm() + ")");
                return ExitCodes.OK;
            }
            int code = KillCommand.refused(response.statusCode()) ? INVALID : ExitCodes.FAILURE;
            throw new UserError(code, "the node refused the revocation (HTTP " + response.statusCode() + "): " + detail);
        }

        private static URI endpoint(String node) {
            try {
                URI base = new URI(node.trim());
                if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
                    throw new URISyntaxException(node, "expected http://HOST:PORT");
                }
                String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
                return new URI(base.getScheme(), null, base.getHost(), base.getPort(),
                        path + "/credentials/revocations", null, null);
            } catch (URISyntaxException e) {
                throw new UserError(ExitCodes.USAGE, "--node " + node + ": not an http(s)://HOST:PORT address");
            }
        }

        private static String errorOf(ObjectMapper json, String body) {
            try {
                JsonNode node = json.readTree(body);
                if (node != null && node.hasNonNull("error")) {
                    return node.get("error").asText();
                }
            } catch (IOException | RuntimeException e) {
                // Not JSON: show the text as the server sent it.
            }
            return body == null || body.isBlank() ? "(no details)" : body.strip();
        }
    }

    private static String proofNames(Credential c) {
        List<String> names = new ArrayList<>();
        c.proofs().forEach(p -> names.add(Credential.Proof.ML_DSA_65.equals(p.cryptosuite()) ? "ML-DSA-65"
                : Credential.Proof.ED25519.equals(p.cryptosuite()) ? "Ed25519" : p.cryptosuite()));
        return names.isEmpty() ? "no proofs" : String.join(" + ", names);
    }
}
