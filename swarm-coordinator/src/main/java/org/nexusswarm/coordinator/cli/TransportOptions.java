package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import org.nexusswarm.coordinator.transport.NodeCertificates;
import org.nexusswarm.coordinator.transport.Transports;
import picocli.CommandLine.Option;

/** How a node talks to the others: the Artery transport and, for TLS, its certificates. */
final class TransportOptions {

    @Option(names = "--transport", paramLabel = "tcp|tls-tcp|aeron-udp",
            description = "Artery transport (default: the profile's, tcp unless it says otherwise).")
    String transport;

    @Option(names = "--certs", paramLabel = "DIR", defaultValue = ".nexus/tls",
            description = "For tls-tcp: the directory 'swarm certs' wrote (default ${DEFAULT-VALUE}).")
    Path certs;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "For tls-tcp: which certificate in --certs is this node's (<NAME>.p12).")
    String nodeName;

    /** {@code config} on the chosen transport; unchanged when none was chosen. */
    Config apply(Config config) {
        if (transport == null) {
            return config;
        }
        NodeCertificates.NodeFiles tls = null;
        if (transport.equals("tls-tcp")) {
            if (nodeName == null) {
                throw new UserError(ExitCodes.USAGE, "--transport tls-tcp needs --node-name (the certificate "
                        + "name given to 'swarm certs --nodes')");
            }
            try {
                tls = NodeCertificates.of(certs, nodeName);
            } catch (IOException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
        }
        try {
            return Transports.apply(config, transport, tls);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }
}
