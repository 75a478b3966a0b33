package org.nexusswarm.coordinator.cli;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nexusswarm.safety.api.credential.CredentialKeystore;
import org.nexusswarm.safety.api.credential.RailSecretStore;
import org.nexusswarm.safety.api.registry.NodeKeyStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarm rail secret export|import|list}: moves a rail instance's secret between node keystores, only ever as
 * a BCFKS file protected by an export password (from {@code --export-password-file} or
 * {@value #EXPORT_PASSWORD_ENV}, never the command line). Keystore access is local: no node is contacted.
 */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = "Export, import and list rail secrets in a node keystore (password-protected BCFKS files).",
        subcommands = {RailSecretCommand.Export.class, RailSecretCommand.Import.class, RailSecretCommand.ListSecrets.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:unexpected failure", "2:bad command line, password or file",
                "4:keystore, file or secret not found", "6:refused (a different secret for the instance exists)"})
final class RailSecretCommand implements Runnable {

    public static final String EXPORT_PASSWORD_ENV = "NEXUS_RAIL_EXPORT_PASSWORD";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose export, import or list");
    }

    /** The node keystore and its password (as the node itself opens it). */
    static final class NodeKeystore {
        @Option(names = "--keystore", paramLabel = "FILE",
                description = "Node keystore (default: nexus.swarm.memory.node-keystore-file, $NEXUS_NODE_KEYSTORE).")
        Path keystore;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "File whose first line is the keystore password (default: $"
                        + NodeKeyStore.PASSWORD_ENV + ", else the node's development default).")
        Path passwordFile;

        Path file() {
            return keystore != null ? keystore
                    : Path.of(ConfigFactory.load().getString("nexus.swarm.memory.node-keystore-file"));
        }

        char[] password() {
            return passwordFile != null ? firstLine(passwordFile, "password file")
                    : NodeKeyStore.passwordFromEnvironment();
        }
    }

    /** The export file's password. */
    static final class ExportPassword {
        @Option(names = "--export-password-file", paramLabel = "FILE",
                description = "File whose first line is the export file's password (default: $" + EXPORT_PASSWORD_ENV
                        + ").")
        Path file;

        char[] get() {
            if (file != null) {
                return firstLine(file, "export password file");
            }
            String env = System.getenv(EXPORT_PASSWORD_ENV);
            if (env == null || env.isEmpty()) {
                throw new UserError(ExitCodes.USAGE, "no export password: set " + EXPORT_PASSWORD_ENV
                        + " or pass --export-password-file FILE");
            }
            return env.toCharArray();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a rail instance's secret to a new password-protected BCFKS file.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Mixin
        NodeKeystore keystore;

        @CommandLine.Mixin
        ExportPassword exportPassword;

        @Option(names = "--instance", required = true, description = "The rail instance (e.g. drought-watch).")
        String instance;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The export file (must not exist).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String fingerprint = run(() -> RailSecretStore.export(keystore.file(), keystore.password(), instance, out,
                    exportPassword.get()));
            spec.commandLine().getOut().println("Exported the secret of rail instance " + instance + " (fingerprint "
                    + fingerprint + ") to " + out + ". Import it on each node that may host the rail: "
                    + "swarm rail secret import --in " + out.getFileName());
            return ExitCodes.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copy the rail secrets of an export file into the node keystore.")
    static final class Import implements Callable<Integer> {
        @CommandLine.Mixin
        NodeKeystore keystore;

        @CommandLine.Mixin
        ExportPassword exportPassword;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The export file.")
        Path in;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> instances = run(() -> RailSecretStore.importFrom(in, exportPassword.get(), keystore.file(),
                    keystore.password()));
            spec.commandLine().getOut().println("Imported the secret of rail instance(s) " + String.join(", ", instances)
                    + " into " + keystore.file() + ": this node may now host every entity of "
                    + (instances.size() == 1 ? "that rail" : "those rails") + ".");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The rail instances whose secrets the "
            + "node keystore holds.")
    static final class ListSecrets implements Callable<Integer> {
        @CommandLine.Mixin
        NodeKeystore keystore;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> instances = run(() -> RailSecretStore.instances(keystore.file(), keystore.password()));
            instances.forEach(spec.commandLine().getOut()::println);
            return ExitCodes.OK;
        }
    }

    private static <T> T run(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (CredentialKeystore.KeystoreException e) {
            int code = switch (e.problem()) {
                case NOT_FOUND, NO_SUCH_ALIAS -> ExitCodes.NOT_FOUND;
                case ALIAS_EXISTS -> ExitCodes.REFUSED;
                default -> ExitCodes.USAGE;
            };
            throw new UserError(code, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        } catch (UncheckedIOException e) {
            throw new UserError(ExitCodes.FAILURE, e.getMessage());
        }
    }

    private static char[] firstLine(Path file, String what) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String line = lines.isEmpty() ? "" : lines.get(0);
            if (line.isEmpty()) {
                throw new UserError(ExitCodes.USAGE, what + " " + file + " is empty");
            }
            return line.toCharArray();
        } catch (NoSuchFileException e) {
            throw new UserError(ExitCodes.NOT_FOUND, what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError(ExitCodes.USAGE, "cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }
}
