package org.nexusswarm.coordinator.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates for TLS between nodes ({@code transport = tls-tcp}, mutual authentication): one cluster CA and,
 * per node, a key and a certificate the CA signed, made with Bouncy Castle. Written as PKCS#12 files, the format
 * Pekko's {@code ConfigSSLEngineProvider} reads ({@code KeyStore.getDefaultType()} on Java 17):
 * {@code <dir>/<node>.p12} (the node's key and chain), {@code <dir>/truststore.p12} (the CA certificate only) and
 * {@code <dir>/password} (one random password for all of them, owner-readable only). The CA's private key is not
 * written: a node is added by running this again for the whole cluster (a new CA), which also removes every node
 * not in the new set. EC P-256 keys, SHA-256 with ECDSA: what every JSSE offers for TLS 1.3.
 */
public final class NodeCertificates {

    public static final String TRUSTSTORE = "truststore.p12";
    public static final String PASSWORD = "password";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private NodeCertificates() {}

    /** Where one node's files are. */
    public record NodeFiles(Path keyStore, Path trustStore, String password) {}

    /** Writes a fresh CA, a certificate for each of {@code nodes}, and the trust store into {@code dir}. */
    public static void generate(Path dir, java.util.List<String> nodes) throws IOException {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("name at least one node");
        }
        try {
            Files.createDirectories(dir);
            char[] password = newPassword();
            KeyPair ca = keyPair();
            X500Name caName = new X500Name("CN=nexus-swarm cluster CA " + Instant.now().getEpochSecond());
            X509Certificate caCert = certificate(caName, caName, ca, ca, true);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("cluster-ca", caCert);
            store(trust, dir.resolve(TRUSTSTORE), password);
            for (String node : nodes) {
                if (!node.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new IllegalArgumentException("node name '" + node + "': letters, digits, '.', '_', '-'");
                }
                KeyPair keys = keyPair();
                X509Certificate cert = certificate(new X500Name("CN=" + node), caName, keys, ca, false);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("node", keys.getPrivate(), password, new X509Certificate[] {cert, caCert});
                store(ks, dir.resolve(node + ".p12"), password);
            }
            Path pw = dir.resolve(PASSWORD);
            Files.writeString(pw, new String(password), StandardCharsets.US_ASCII);
            restrict(pw);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not make the certificates: " + e.getMessage(), e);
        }
    }

    /** The files of {@code node} in {@code dir}, checked to exist. */
    public static NodeFiles of(Path dir, String node) throws IOException {
        Path ks = dir.resolve(node + ".p12");
        Path ts = dir.resolve(TRUSTSTORE);
        Path pw = dir.resolve(PASSWORD);
        for (Path p : new Path[] {ks, ts, pw}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("no " + p + " (make the cluster's certificates with 'swarm certs --out "
                        + dir + " --nodes " + node + ",...')");
            }
        }
        return new NodeFiles(ks, ts, Files.readString(pw, StandardCharsets.US_ASCII).trim());
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name subject, X500Name issuer, KeyPair subjectKeys,
            KeyPair issuerKeys, boolean ca) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            // Every node is both the client and the server of its associations.
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        }
        X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC)
                .build(issuerKeys.getPrivate()));
        return new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
        restrict(file);
    }

    private static char[] newPassword() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions are what protects the files
        }
    }
}
