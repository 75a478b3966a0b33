package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.safety.api.credential.RailSecretStore;

/** {@code swarm rail secret export|import|list}: the round trip, a wrong export password, and no overwrite. */
class RailSecretCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content + "\n");
    }

    @Test
    void exportImportRoundTripAndWrongPasswordRefused() throws Exception {
        Path a = tmp.resolve("a.bcfks");
        Path b = tmp.resolve("b.bcfks");
        Path pwA = file("pw-a", "password of node a");
        Path pwB = file("pw-b", "password of node b");
        Path exportPw = file("export-pw", "export password 123");
        String fingerprint = RailSecretStore.loadOrCreate(a, "password of node a".toCharArray(), "dw").secret()
                .fingerprint();
        Path out = tmp.resolve("dw.rail-secret");

        Run export = run("rail", "secret", "export", "--keystore", a.toString(), "--password-file", pwA.toString(),
                "--export-password-file", exportPw.toString(), "--instance", "dw", "--out", out.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().contains(fingerprint), export.out());

        Run wrong = run("rail", "secret", "import", "--keystore", b.toString(), "--password-file", pwB.toString(),
                "--export-password-file", file("bad", "not the export password").toString(), "--in", out.toString());
        assertEquals(ExitCodes.USAGE, wrong.code());
        assertTrue(wrong.err().contains("wrong password"), wrong.err());
        assertFalse(Files.exists(b));

        Run imported = run("rail", "secret", "import", "--keystore", b.toString(), "--password-file", pwB.toString(),
                "--export-password-file", exportPw.toString(), "--in", out.toString());
        assertEquals(0, imported.code(), imported.err());
        assertEquals(fingerprint, RailSecretStore.load(b, "password of node b".toCharArray(), "dw").orElseThrow()
                .fingerprint());
        Run list = run("rail", "secret", "list", "--keystore", b.toString(), "--password-file", pwB.toString());
        assertEquals("dw", list.out().strip());

        // A node with its own, different secret for the instance is not silently re-keyed.
        Path c = tmp.resolve("c.bcfks");
        RailSecretStore.loadOrCreate(c, "password of node b".toCharArray(), "dw");
        Run clash = run("rail", "secret", "import", "--keystore", c.toString(), "--password-file", pwB.toString(),
                "--export-password-file", exportPw.toString(), "--in", out.toString());
        assertEquals(ExitCodes.REFUSED, clash.code(), clash.err());
        assertTrue(clash.err().contains("new rail instance"), clash.err());
    }
}
