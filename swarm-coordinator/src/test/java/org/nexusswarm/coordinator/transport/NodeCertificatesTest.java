package org.nexusswarm.coordinator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCertificatesTest {

    @TempDir
    Path dir;

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType()); // what Pekko's ConfigSSLEngineProvider uses
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    @Test
    void everyNodeCertificateIsSignedByTheOneClusterCaInTheTrustStore() throws Exception {
        NodeCertificates.generate(dir, List.of("node-1", "node-2"));
        NodeCertificates.NodeFiles one = NodeCertificates.of(dir, "node-1");
        X509Certificate ca = (X509Certificate) load(one.trustStore(), one.password()).getCertificate("cluster-ca");
        for (String node : List.of("node-1", "node-2")) {
            KeyStore ks = load(dir.resolve(node + ".p12"), one.password());
            Certificate[] chain = ks.getCertificateChain("node");
            assertEquals(2, chain.length);
            X509Certificate leaf = (X509Certificate) chain[0];
            leaf.verify(ca.getPublicKey());
            leaf.checkValidity();
            assertEquals("CN=" + node, leaf.getSubjectX500Principal().getName());
            assertTrue(leaf.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                    "a node is server and client of its associations");
            assertEquals(-1, leaf.getBasicConstraints(), "a node certificate is no CA");
            assertTrue(ks.isKeyEntry("node"));
        }
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve(NodeCertificates.PASSWORD)));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("node-1.p12")));
    }

    @Test
    void aSecondRunIsAnotherCaThatTheFirstDoesNotTrust() throws Exception {
        NodeCertificates.generate(dir.resolve("a"), List.of("n"));
        NodeCertificates.generate(dir.resolve("b"), List.of("n"));
        NodeCertificates.NodeFiles a = NodeCertificates.of(dir.resolve("a"), "n");
        NodeCertificates.NodeFiles b = NodeCertificates.of(dir.resolve("b"), "n");
        X509Certificate caA = (X509Certificate) load(a.trustStore(), a.password()).getCertificate("cluster-ca");
        X509Certificate leafB = (X509Certificate) load(b.keyStore(), b.password()).getCertificateChain("node")[0];
        assertThrows(java.security.SignatureException.class, () -> leafB.verify(caA.getPublicKey()));
    }

    @Test
    void badNodeNamesAndMissingFilesAreClearErrors() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> NodeCertificates.generate(dir, List.of("../evil")));
        assertThrows(IllegalArgumentException.class, () -> NodeCertificates.generate(dir, List.of()));
        NodeCertificates.generate(dir, List.of("n"));
        var e = assertThrows(java.io.IOException.class, () -> NodeCertificates.of(dir, "other"));
        assertTrue(e.getMessage().contains("swarm certs"), e.getMessage());
    }

    @Test
    void transportsAreConfiguredByName() throws Exception {
        com.typesafe.config.Config base = com.typesafe.config.ConfigFactory.empty();
        assertEquals("tcp", Transports.apply(base, "tcp", null).getString("pekko.remote.artery.transport"));
        assertThrows(IllegalArgumentException.class, () -> Transports.apply(base, "tls-tcp", null));
        assertThrows(IllegalArgumentException.class, () -> Transports.apply(base, "carrier-pigeon", null));
        NodeCertificates.generate(dir, List.of("n"));
        var tls = Transports.apply(base, "tls-tcp", NodeCertificates.of(dir, "n"));
        assertTrue(tls.getBoolean("pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication"));
        assertEquals(1, Transports.apply(base, "aeron-udp", null).getInt("pekko.remote.artery.advanced.aeron.idle-cpu-level"));
    }
}
