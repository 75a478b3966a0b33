package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nexusswarm.coordinator.config.SwarmConfig;
import org.nexusswarm.coordinator.rail.PackGate;
import org.nexusswarm.packs.admission.PackAdmission;
import org.nexusswarm.safety.api.admission.BytecodeFinding;
import org.nexusswarm.safety.api.credential.CredentialKeystore;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code swarm packs list|sign|verify}: thin adapters over {@link PackAdmission} (manifest + bytecode check).
 * Paths come from config ({@code nexus.swarm.packs.admission.*}) unless given as options.
 */
@Command(name = "packs", mixinStandardHelpOptions = true,
        description = "List, sign and verify packs (signed manifest + bytecode admission).",
        subcommands = {PacksCommand.ListPacks.class, PacksCommand.Sign.class, PacksCommand.Verify.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (verify: admitted)", "1:unexpected failure", "2:bad command line",
                "4:pack or key not found", "6:refused (verify: manifest or bytecode check failed)"})
public final class PacksCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: list, sign or verify");
    }

    /** Where manifests and the trust list are, shared by the subcommands. */
    static final class Locations {
        @CommandLine.Mixin
        PackLocationOptions locations;

        @Option(names = "--bytecode", paramLabel = "MODE", description = "enforce|off (default: config, off).")
        String bytecode;

        Config config() {
            Map<String, Object> overrides = new HashMap<>();
            if (bytecode != null) {
                overrides.put("nexus.swarm.packs.admission.bytecode", bytecode);
            }
            return locations.apply(SwarmConfig.load("dev", overrides));
        }

        PackAdmission admission() {
            try {
                return new PackAdmission(PackAdmission.Settings.from(config()));
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
        }
    }

    static ObjectNode json(PackAdmission.Report r) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("pack", r.pack());
        n.put("packClass", r.packClass().orElse(null));
        r.manifest().ifPresent(m -> {
            n.put("version", m.version());
            n.put("publisher", m.publisher());
            n.put("postQuantum", m.mlDsa65Signature().isPresent());
            ArrayNode rails = n.putArray("rails");
            m.rails().forEach(rails::add);
        });
        n.put("manifestValid", r.manifestValid());
        ArrayNode mp = n.putArray("manifestProblems");
        r.manifestProblems().forEach(mp::add);
        r.packageProblems().forEach(mp::add);
        n.put("bytecodeMode", r.bytecodeMode().name().toLowerCase(java.util.Locale.ROOT));
        n.put("bytecodeClean", r.bytecodeClean());
        ArrayNode bf = n.putArray("bytecodeFindings");
        r.bytecodeFindings().forEach(f -> bf.add(f.describe()));
        n.put("admitted", r.admitted());
        r.refusal().ifPresent(x -> n.put("refusal", x));
        return n;
    }

    static String manifestStatus(PackAdmission.Report r) {
        if (r.manifestValid()) {
            PackAdmission.Report x = r;
            return "signed by " + x.manifest().orElseThrow().publisher()
                    + (x.manifest().orElseThrow().mlDsa65Signature().isPresent() ? " (+ML-DSA-65)" : "");
        }
        List<String> p = !r.packageProblems().isEmpty() ? r.packageProblems() : r.manifestProblems();
        return "INVALID: " + (p.isEmpty() ? "unknown" : p.get(0));
    }

    static String bytecodeStatus(PackAdmission.Report r) {
        String mode = r.bytecodeMode() == PackAdmission.BytecodeMode.ENFORCE ? "" : " (not enforced)";
        return r.bytecodeFindings().isEmpty() ? "clean" + mode
                : r.bytecodeFindings().size() + " forbidden reference(s)" + mode;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Packs on the class path, their rails, manifest and admission status (runs no pack code).")
    static final class ListPacks implements Callable<Integer> {
        @CommandLine.Mixin
        Locations locations;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<PackAdmission.Report> reports = locations.admission().list();
            if (json) {
                ArrayNode arr = new ObjectMapper().createArrayNode();
                reports.forEach(r -> arr.add(json(r)));
                out.println(arr.toPrettyString());
                return ExitCodes.OK;
            }
            for (PackAdmission.Report r : reports) {
                out.printf("%s  %s%n  rails: %s%n  manifest: %s%n  bytecode: %s%n  admission: %s%n", r.pack(),
                        r.packClass().orElse("?"),
                        r.manifest().map(m -> String.join(", ", m.rails())).orElse("(unknown until signed)"),
                        manifestStatus(r), bytecodeStatus(r),
                        r.admitted() ? "admitted" : r.refusal().orElse("refused"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign PACK's manifest (SHA-256 of every class and resource) with a publisher key.")
    static final class Sign implements Callable<Integer> {
        @CommandLine.Mixin
        Locations locations;
        @Parameters(index = "0", paramLabel = "PACK")
        String pack;
        @Option(names = "--pq", description = "Also sign with the publisher's ML-DSA-65 key.")
        boolean pq;
        @Option(names = "--keystore", paramLabel = "FILE",
                description = "Publisher keystore (default: the node keystore with the dev publisher key, created"
                        + " and trusted on first use; password from env NEXUS_KEYSTORE_PASSWORD or the dev default).")
        Path keystore;
        @Option(names = "--alias", paramLabel = "ALIAS", defaultValue = PackGate.DEV_PUBLISHER,
                description = "Key alias in the keystore (default: ${DEFAULT-VALUE}).")
        String alias;
        @Option(names = "--version-label", paramLabel = "V", defaultValue = "dev",
                description = "Version recorded in the manifest (default: ${DEFAULT-VALUE}).")
        String version;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PackAdmission admission = locations.admission();
            Config config = locations.config();
            IssuerKeys keys;
            if (keystore == null) {
                keys = PackGate.devPublisher(config, admission.settings().trustedPublishersFile());
            } else {
                try (CredentialKeystore store = CredentialKeystore.open(keystore,
                        org.nexusswarm.safety.api.registry.NodeKeyStore.passwordFromEnvironment())) {
                    keys = store.load(alias);
                } catch (CredentialKeystore.KeystoreException e) {
                    throw CredentialsCommand.keystoreError(e);
                }
            }
            var manifest = sign(admission, keys);
            spec.commandLine().getOut().printf("Signed pack '%s' (%s, %d files, rails %s) as %s%s -> %s%n", pack,
                    manifest.packClass(), manifest.files().size(), String.join(", ", manifest.rails()),
                    manifest.publisher(), pq ? " with Ed25519 + ML-DSA-65" : " with Ed25519",
                    admission.settings().manifestFile(pack));
            return ExitCodes.OK;
        }

        private org.nexusswarm.safety.api.admission.PackManifest sign(PackAdmission admission, IssuerKeys keys) {
            try {
                return admission.sign(pack, keys, pq, version);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage().startsWith("unknown pack") ? ExitCodes.NOT_FOUND : ExitCodes.USAGE,
                        e.getMessage());
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify PACK: its signed manifest against the files and the trusted publishers, and its"
                    + " bytecode against the allow-list. Runs no pack code.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        Locations locations;
        @Parameters(index = "0", paramLabel = "PACK")
        String pack;
        @Option(names = "--pq", description = "Require an ML-DSA-65 signature too.")
        boolean pq;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PackAdmission.Report r = locations.admission().inspect(pack, pq);
            if (json) {
                out.println(json(r).toPrettyString());
            } else {
                out.println("manifest: " + manifestStatus(r));
                r.manifestProblems().stream().skip(1).forEach(p -> out.println("  " + p));
                out.println("bytecode: " + bytecodeStatus(r));
                for (BytecodeFinding f : r.bytecodeFindings()) {
                    out.println("  " + f.describe());
                }
                out.println(r.admitted() ? "pack " + pack + " admitted" : r.refusal().orElse("refused"));
            }
            return r.admitted() ? ExitCodes.OK : ExitCodes.REFUSED;
        }
    }
}
