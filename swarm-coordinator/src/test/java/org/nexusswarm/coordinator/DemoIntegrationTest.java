package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.coordinator.cli.ExitCodes;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.demo.DemoReport;
import org.nexusswarm.coordinator.demo.DemoScenario;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.packs.RailOptions;

/**
 * The demo scenario end to end on the real Cassandra, then {@code swarm journal show} reading the rogue's
 * journal back from Cassandra through the command line.
 */
class DemoIntegrationTest {

    private static final String KEYSPACE = "it_demo";

    @Test
    void demoRunsTheRailAndTheRogueIsDeniedKilledAndQuarantined() throws Exception {
        RailOptions rail = new RailOptions(12, 3, 1, 3, 2, 42);
        DemoScenario.Options options = new DemoScenario.Options("climate", "drought-watch", rail, 3,
                Duration.ofSeconds(120));
        StringWriter printed = new StringWriter();
        DemoReport report;
        String nodeDid;
        try (SwarmNode node = TestSwarm.node(KEYSPACE)) {
            nodeDid = node.registry().services().checkpointSigner().nodeDid();
            report = new DemoScenario(node, options, new PrintWriter(printed, true)).run();
        }

        assertEquals(Map.of(EntityKind.NODE, 1, EntityKind.AGENT, 12, EntityKind.DELEGATOR, 3,
                EntityKind.ORCHESTRATOR, 1), report.startedByKind());
        assertEquals(RefusalCode.BAD_SIGNATURE, report.forgedRefusal());
        assertEquals(RefusalCode.UNKNOWN_SENDER, report.unknownSenderRefusal());
        assertEquals(List.of("agent:drought-watch.agent-011"), report.quarantined());
        assertEquals(RefusalCode.QUARANTINED, report.quarantinedRefusal());
        assertEquals(3, report.count("ActionDenied"), "the rogue is denied until it reaches max-denials");
        assertEquals(1, report.count("Killed"));
        assertEquals(0, report.brokenChains());
        assertEquals(17, report.journals());
        // 11 honest agents x 3 rounds get a certified result each; the rogue asks for none.
        assertEquals(33, report.certifiedResults());
        assertEquals(36, report.signalsAccepted());
        assertTrue(report.count("Observed") >= 36 + 33 * 3, "every hop is journaled: " + report.journalCounts());
        assertTrue(report.alertsRaised() > 0, "dry cells raise drought alerts");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(new String[] {"journal", "show", "agent:drought-watch.agent-011",
                "--cassandra", TestSwarm.contactPoint(), "--keyspace", KEYSPACE},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        String journal = out.toString();
        assertTrue(journal.contains("ActionDenied") && journal.contains("Killed") && journal.contains("Refused"),
                journal);
        assertTrue(journal.contains("Hash chain intact"), journal);

        // A reviewer verifies every journal the demo wrote: chains, Merkle roots and this node's signatures.
        StringWriter verified = new StringWriter();
        StringWriter verifyErr = new StringWriter();
        code = SwarmCli.execute(new String[] {"journal", "verify", "--rail", "drought-watch", "--trust-node", nodeDid,
                "--cassandra", TestSwarm.contactPoint(), "--keyspace", KEYSPACE},
                new PrintWriter(verified, true), new PrintWriter(verifyErr, true));
        assertEquals(0, code, verified + "\n" + verifyErr);
        assertTrue(verified.toString().contains("agent|drought-watch.agent-011"), verified.toString());
        assertTrue(verified.toString().contains("17 intact, 0 BROKEN"), verified.toString());

        // Someone with write access to Cassandra deletes one decision from the rogue's real journal.
        try (com.datastax.oss.driver.api.core.CqlSession cql = com.datastax.oss.driver.api.core.CqlSession.builder()
                .addContactPoint(org.nexusswarm.clusterconfig.TestCassandra.shared().contactPoint())
                .withLocalDatacenter("datacenter1").build()) {
            cql.execute("DELETE FROM " + KEYSPACE + ".messages WHERE persistence_id = ? AND partition_nr = 0 "
                    + "AND sequence_nr = 4", "agent|drought-watch.agent-011");
        }
        StringWriter tampered = new StringWriter();
        code = SwarmCli.execute(new String[] {"journal", "verify", "--entity", "agent:drought-watch.agent-011",
                "--trust-node", nodeDid, "--cassandra", TestSwarm.contactPoint(), "--keyspace", KEYSPACE},
                new PrintWriter(tampered, true), new PrintWriter(new StringWriter(), true));
        assertEquals(ExitCodes.INVALID, code, tampered.toString());
        assertTrue(tampered.toString().contains("BROKEN  agent|drought-watch.agent-011"), tampered.toString());
        assertTrue(tampered.toString().contains("seq 4"), tampered.toString());

        // Exporting the journal with a hole in it is refused with exit 8 and one line naming the problem.
        java.nio.file.Path pack = java.nio.file.Files.createTempFile("tampered", ".aep.json");
        StringWriter exported = new StringWriter();
        StringWriter exportErr = new StringWriter();
        code = SwarmCli.execute(new String[] {"journal", "export", "--entity", "agent:drought-watch.agent-011",
                "--out", pack.toString(), "--cassandra", TestSwarm.contactPoint(), "--keyspace", KEYSPACE},
                new PrintWriter(exported, true), new PrintWriter(exportErr, true));
        assertEquals(ExitCodes.INVALID, code, exported + "\n" + exportErr);
        assertTrue(exportErr.toString().contains("cannot export agent:drought-watch.agent-011"), exportErr.toString());
        assertFalse(exportErr.toString().contains("\tat "), "no stack trace: " + exportErr);
        java.nio.file.Files.deleteIfExists(pack);
    }
}
