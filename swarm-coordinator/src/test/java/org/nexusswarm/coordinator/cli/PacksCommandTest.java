package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.safety.api.admission.TrustedPublishers;
import org.nexusswarm.safety.api.credential.CredentialKeystore;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.registry.NodeKeyStore;

/** {@code swarm packs sign} then {@code verify} (and list) on a temporary directory, and the refusals. */
class PacksCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) { }

    private Run swarm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--manifest-dir", dir.resolve("packs").toString(),
                "--trusted-publishers-file", dir.resolve("trusted").toString()));
        int code = SwarmCli.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path keystoreWithPublisher(boolean trusted) {
        Path ks = dir.resolve(trusted ? "publisher.bcfks" : "stranger.bcfks");
        char[] password = System.getenv(NodeKeyStore.PASSWORD_ENV) == null ? NodeKeyStore.DEV_PASSWORD.toCharArray()
                : System.getenv(NodeKeyStore.PASSWORD_ENV).toCharArray();
        try (CredentialKeystore store = CredentialKeystore.openOrCreate(ks, password)) {
            IssuerKeys keys = store.generate("acme", true);
            if (trusted) {
                TrustedPublishers.append(dir.resolve("trusted"), keys.did(), keys.mlDsaPublicKey());
            }
        }
        return ks;
    }

    @Test
    void signThenVerifyAdmitsTheClimatePackAndRefusesItOnceAltered() throws Exception {
        Run missing = swarm("packs", "verify", "climate");
        assertEquals(ExitCodes.REFUSED, missing.code(), missing.out() + missing.err());
        assertTrue(missing.out().contains("pack climate refused: no signed manifest at"), missing.out());

        Path ks = keystoreWithPublisher(true);
        Run sign = swarm("packs", "sign", "climate", "--pq", "--keystore", ks.toString(), "--alias", "acme");
        assertEquals(ExitCodes.OK, sign.code(), sign.out() + sign.err());
        assertTrue(sign.out().contains("Signed pack 'climate'"), sign.out());

        Run ok = swarm("packs", "verify", "climate", "--pq");
        assertEquals(ExitCodes.OK, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("pack climate admitted"), ok.out());

        // The shipped climate pack passes the bytecode allow-list (enforced by default).
        Run enforced = swarm("packs", "verify", "climate", "--bytecode", "enforce", "--json");
        assertEquals(ExitCodes.OK, enforced.code(), enforced.out() + enforced.err());
        assertTrue(enforced.out().contains("\"bytecodeClean\" : true"), enforced.out());
        assertTrue(enforced.out().contains("\"bytecodeFindings\" : [ ]"), enforced.out());

        Run list = swarm("packs", "list");
        assertEquals(ExitCodes.OK, list.code(), list.err());
        assertTrue(list.out().contains("climate  org.nexusswarm.packs.climate.ClimatePack"), list.out());
        assertTrue(list.out().contains("rails: drought-watch"), list.out());

        // The attacker points a file's digest at his own bytes: the signature no longer covers the manifest.
        Path manifest = dir.resolve("packs/climate.manifest.json");
        String json = Files.readString(manifest);
        int at = json.indexOf("ClimatePack.class\" : \"") + "ClimatePack.class\" : \"".length();
        Files.writeString(manifest, json.substring(0, at) + (json.charAt(at) == '0' ? '1' : '0')
                + json.substring(at + 1));
        Run altered = swarm("packs", "verify", "climate");
        assertEquals(ExitCodes.REFUSED, altered.code(), altered.out());
        assertTrue(altered.out().contains("pack climate refused: bad Ed25519 signature"), altered.out());
    }

    @Test
    void aManifestSignedByAnUntrustedKeyIsRefused() {
        Path ks = keystoreWithPublisher(false);
        assertEquals(ExitCodes.OK, swarm("packs", "sign", "climate", "--keystore", ks.toString(), "--alias", "acme")
                .code());
        Run r = swarm("packs", "verify", "climate");
        assertEquals(ExitCodes.REFUSED, r.code(), r.out());
        assertTrue(r.out().contains("pack climate refused: manifest is signed by untrusted publisher"), r.out());
    }
}
