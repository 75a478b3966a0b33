package org.nexusswarm.memory.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;

class TrustedNodesTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingFileTrustsNobody() {
        assertTrue(TrustedNodes.load(tmp.resolve("nope")).isEmpty());
    }

    @Test
    void appendCreatesTheFileOnceAndLoadSkipsComments() throws Exception {
        Path file = tmp.resolve("keys/trusted-nodes");
        Did a = Ed25519.generate().did();
        Did b = Ed25519.generate().did();
        TrustedNodes.append(file, a);
        TrustedNodes.append(file, a);
        Files.writeString(file, Files.readString(file) + "\n  " + b.value() + "   # the other node\n");
        TrustedNodes trust = TrustedNodes.load(file);
        assertEquals(2, trust.size());
        assertTrue(trust.trusts(a.value()) && trust.trusts(b.value()));
        assertEquals(1, Files.readAllLines(file).stream().filter(l -> l.equals(a.value())).count());
    }

    @Test
    void aLineThatIsNotANodeDidIsReportedWithItsLineNumber() throws Exception {
        Path file = tmp.resolve("trusted");
        Files.writeString(file, "# comment\nhello\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedNodes.load(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedNodes.none().plus(List.of("did:nexus:short")));
        assertFalse(TrustedNodes.none().plus(List.of(Ed25519.generate().did().value())).isEmpty());
    }
}
