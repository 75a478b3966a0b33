package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started on a transport it cannot use stops at once with one clear line, before anything starts. */
class TransportOptionsTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anUnknownTransportIsAUsageError() {
        Run r = run("node", "--transport", "carrier-pigeon");
        assertEquals(ExitCodes.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("unknown transport 'carrier-pigeon'"), r.err());
    }

    @Test
    void tlsWithoutANodeNameOrCertificatesIsAUsageError() {
        Run noName = run("node", "--transport", "tls-tcp", "--certs", dir.toString());
        assertEquals(ExitCodes.USAGE, noName.code());
        assertTrue(noName.err().contains("--node-name"), noName.err());
        Run noFiles = run("node", "--transport", "tls-tcp", "--certs", dir.toString(), "--node-name", "n1");
        assertEquals(ExitCodes.USAGE, noFiles.code());
        assertTrue(noFiles.err().contains("swarm certs"), noFiles.err());
    }

    @Test
    void certsWritesOneFilePerNodeAndRefusesBadNames() throws Exception {
        Run ok = run("certs", "--out", dir.toString(), "--nodes", "n1,n2");
        assertEquals(ExitCodes.OK, ok.code(), ok.err());
        for (String f : List.of("n1.p12", "n2.p12", "truststore.p12", "password")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        Run bad = run("certs", "--out", dir.resolve("x").toString(), "--nodes", "../n1");
        assertEquals(ExitCodes.USAGE, bad.code());
    }
}
