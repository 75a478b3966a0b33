package org.nexusswarm.coordinator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.memory.evidence.EvidencePackVerifier;
import org.nexusswarm.memory.evidence.Finding;
import org.nexusswarm.memory.evidence.VerificationResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code swarm aep ...}: work with Assurance &amp; Evidence Packs written by {@code swarm journal export}. */
@Command(name = "aep", mixinStandardHelpOptions = true,
        description = "Assurance & Evidence Packs: check a pack offline (no cluster, no Cassandra).",
        subcommands = AepCommand.Verify.class)
final class AepCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand, e.g. 'aep verify FILE'");
    }

    /** {@code swarm aep verify FILE [--trust-node DID]... [--json]}: exit 0 valid, 8 invalid or unreadable. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check an evidence pack offline: seal, every event's hash against its canonical form, the "
                    + "hash chain, checkpoint Merkle roots and signatures, cited credential and policy texts.",
                    "Exit 0 when valid (warnings allowed), 8 when anything fails, 4 when the file does not exist."})
    static final class Verify implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The pack (JSON, format nexus-aep/1).")
        Path file;

        @Option(names = "--trust-node", paramLabel = "DID",
                description = "A node DID whose checkpoint signatures you trust (repeatable). Without it signers "
                        + "are reported but not judged; with it any other signer is an error.")
        List<String> trustedNodes = new ArrayList<>();

        @Option(names = "--json", description = "Print the result as one JSON object (findings with stable kinds).")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            trustedNodes.forEach(Verify::checkDid);
            if (!Files.exists(file)) {
                throw new UserError(ExitCodes.NOT_FOUND, "no such file: " + file);
            }
            if (Files.isDirectory(file)) {
                throw new UserError(ExitCodes.USAGE, file + " is a directory, not an evidence pack");
            }
            VerificationResult result = new EvidencePackVerifier(trustedNodes).verify(file);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(toJson(result)));
            } else {
                printReport(result, out);
            }
            return result.valid() ? ExitCodes.OK : ExitCodes.INVALID;
        }

        private void printReport(VerificationResult result, PrintWriter out) {
            out.println(result.summary() == null ? file + " is not a readable evidence pack" : result.describe());
            for (Finding f : result.findings()) {
                out.println((f.severity() == Finding.Severity.ERROR ? "  FAILED   " : "  warning  ") + f.message());
            }
            int errors = result.errors().size();
            out.println(errors == 0 ? "VALID: " + file + (result.warnings().isEmpty() ? ""
                            : " (" + result.warnings().size() + " warning(s): limits of what the pack proves)")
                    : "INVALID: " + file + ": " + errors + " problem(s); the first: " + result.errors().get(0).message());
        }

        private ObjectNode toJson(VerificationResult result) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("file", file.toString());
            root.put("valid", result.valid());
            VerificationResult.Summary s = result.summary();
            if (s == null) {
                root.putNull("summary");
            } else {
                ObjectNode summary = root.putObject("summary");
                summary.put("entity", s.entity()).put("persistenceId", s.persistenceId())
                        .put("firstSeq", s.firstSeq()).put("lastSeq", s.lastSeq()).put("events", s.events())
                        .put("checkpoints", s.checkpoints()).put("sealOk", s.sealOk())
                        .put("exporterDid", s.exporterDid());
                ArrayNode signers = summary.putArray("signers");
                s.signers().forEach(signers::add);
            }
            ArrayNode findings = root.putArray("findings");
            result.findings().forEach(f -> findings.addObject().put("severity", f.severity().name())
                    .put("kind", f.kind().name()).put("message", f.message()));
            return root;
        }

        private static void checkDid(String text) {
            try {
                Did did = new Did(text);
                if (did.publicKey().length != 32 || !Did.of(did.publicKey()).equals(did)) {
                    throw new IllegalArgumentException("not an Ed25519 node DID: " + text);
                }
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, "--trust-node: " + e.getMessage());
            }
        }
    }
}
