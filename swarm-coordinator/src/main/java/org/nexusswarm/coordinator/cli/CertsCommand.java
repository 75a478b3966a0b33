package org.nexusswarm.coordinator.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nexusswarm.coordinator.transport.NodeCertificates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code swarm certs}: the certificates for TLS between nodes. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"Make a cluster CA and a key and certificate per node for transport tls-tcp (TLS 1.3, mutual "
                + "authentication): <out>/<node>.p12, <out>/truststore.p12 and <out>/password (owner-only).",
                "The CA key is not kept: to add or remove a node, make the whole set again and restart the nodes."})
final class CertsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", defaultValue = ".nexus/tls", description = "Directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--nodes", required = true, split = ",", paramLabel = "NAME[,NAME...]",
            description = "One certificate per node name.")
    List<String> nodes;

    @Override
    public Integer call() throws Exception {
        try {
            NodeCertificates.generate(out, nodes);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        spec.commandLine().getOut().println("Wrote a cluster CA and " + nodes.size() + " node certificate(s) to "
                + out + " (" + String.join(", ", nodes.stream().map(n -> n + ".p12").toList()) + ", "
                + NodeCertificates.TRUSTSTORE + ", " + NodeCertificates.PASSWORD + ")");
        return ExitCodes.OK;
    }
}
