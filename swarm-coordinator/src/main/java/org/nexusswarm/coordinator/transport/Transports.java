package org.nexusswarm.coordinator.transport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/**
 * The three Artery transports a node can use, as configuration on top of a node's own: {@code tcp} (the default:
 * fastest on small shared machines, see the README's figures), {@code tls-tcp} (TCP with TLS 1.3 and mutual
 * authentication: a peer without a certificate from the cluster CA cannot associate; files from
 * {@link NodeCertificates}) and {@code aeron-udp} (Aeron with an embedded media driver tuned for small machines:
 * idle CPU level 1, since Aeron's default spinning takes a third of a core per idle node).
 */
public final class Transports {

    public static final List<String> NAMES = List.of("tcp", "tls-tcp", "aeron-udp");

    private Transports() {}

    /** {@code base} using {@code transport}; {@code tls} must be given for {@code tls-tcp}. */
    public static Config apply(Config base, String transport, NodeCertificates.NodeFiles tls) {
        Config c = base.withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef(transport));
        switch (transport) {
            case "tcp":
                return c;
            case "tls-tcp":
                if (tls == null) {
                    throw new IllegalArgumentException("transport tls-tcp needs the node's certificates "
                            + "(swarm certs)");
                }
                String prefix = "pekko.remote.artery.ssl.config-ssl-engine.";
                return c.withValue(prefix + "key-store", ConfigValueFactory.fromAnyRef(tls.keyStore().toString()))
                        .withValue(prefix + "trust-store", ConfigValueFactory.fromAnyRef(tls.trustStore().toString()))
                        .withValue(prefix + "key-store-password", ConfigValueFactory.fromAnyRef(tls.password()))
                        .withValue(prefix + "key-password", ConfigValueFactory.fromAnyRef(tls.password()))
                        .withValue(prefix + "trust-store-password", ConfigValueFactory.fromAnyRef(tls.password()))
                        .withValue(prefix + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
                        .withValue(prefix + "protocol", ConfigValueFactory.fromAnyRef("TLSv1.3"));
            case "aeron-udp":
                return ConfigFactory.parseString("""
                        pekko.remote.artery.advanced.aeron {
                          embedded-media-driver = on
                          idle-cpu-level = 1
                          delete-aeron-dir = yes
                        }
                        """).withFallback(c);
            default:
                throw new IllegalArgumentException("unknown transport '" + transport + "' (one of " + NAMES + ")");
        }
    }
}
