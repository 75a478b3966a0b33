package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.coordinator.cli.ExitCodes;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.coordinator.rail.RailPolicies;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * Evidence packs from a real journal: a rail runs on a real node against the real Cassandra (checkpoints every
 * few events), an agent is killed, then the command line exports its journal and verifies the pack offline.
 * One changed byte is reported precisely with exit 8; an unknown entity and an empty window exit 4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidencePackIntegrationTest {

    private static final String KEYSPACE = "it_evidence";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private EntityAddress killed;
    private String nodeDid;

    private record Run(int code, String out, String err) {}

    @BeforeAll
    void runARailAndKillAnAgent() throws Exception {
        Map<String, Object> config = Map.of("nexus.swarm.memory.checkpoint-every", 5);
        try (SwarmNode node = SwarmNode.start(TestSwarm.config(KEYSPACE, config), WAIT)) {
            node.registry().identities().admit(TestSwarm.IT_OPERATOR.did(), "operator:it");
            Pack climate = Packs.find("climate");
            RailBlueprint blueprint = climate.rail("drought-watch", new RailOptions(4, 2, 1, 2, 2, 7));
            DeployedRail rail = RailDeployer.deploy(node.registry(), blueprint);
            // A journaled policy, so decisions cite a version whose text the export reads from the policy store.
            assertTrue(RailPolicies.install(node.system(), node.bootstrapOperator(), climate, blueprint, WAIT)
                    .isPresent());
            killed = rail.blueprint().signals().round(1).get(0).target();
            nodeDid = SafetyRegistry.get(node.system()).services().checkpointSigner().nodeDid();
            for (int round = 1; round <= 12; round++) {
                for (Signal s : rail.blueprint().signals().round(round)) {
                    if (s.target().equals(killed)) {
                        // Accepted or refused, each delivery is journaled.
                        DeliveryReply reply = ask(node, killed,
                                r -> new Deliver(rail.feed().envelope(killed, s.payload()), r));
                        assertTrue(reply != null);
                    }
                }
            }
            EntityStatus status = ask(node, killed, r -> TestSwarm.kill(killed, "evidence test", r));
            assertTrue(status.quarantined());
        }
    }

    @Test
    void anExportedJournalVerifiesOfflineAndOneChangedByteIsNamed() throws Exception {
        Path pack = tmp.resolve("killed.aep.json");
        Run export = cli("journal", "export", "--entity", killed.toString(), "--out", pack.toString());
        assertEquals(ExitCodes.OK, export.code(), export.out() + export.err());
        assertTrue(export.out().startsWith("AEP for " + killed + " seq 1.."), export.out());
        assertTrue(export.out().contains("Policy texts included: rail:drought-watch@1."), export.out());

        assertTrue(export.out().matches("(?s).*\\d+ checkpoints signed by " + nodeDid + ", seal ok.*"), export.out());

        Run ok = cli("aep", "verify", pack.toString(), "--trust-node", nodeDid);
        assertEquals(ExitCodes.OK, ok.code(), ok.out());
        assertTrue(ok.out().contains("seal ok"), ok.out());
        assertFalse(ok.out().contains("signers not checked"), ok.out());
        assertFalse(ok.out().contains("holds no text for the cited policy"), ok.out());
        assertTrue(ok.out().contains("Killed") || Files.readString(pack).contains("\"type\" : \"Killed\""),
                "the kill is in the pack");

        // Change one character of the details of the third event: the verifier names that event.
        String text = Files.readString(pack, StandardCharsets.UTF_8);
        int events = text.indexOf("\"events\"");
        int details = text.indexOf("\"details\" : \"", events);
        details = text.indexOf("\"details\" : \"", details + 1);
        details = text.indexOf("\"details\" : \"", details + 1);
        int at = details + "\"details\" : \"".length();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int byteAt = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
        bytes[byteAt] ^= 0x01;
        Files.write(pack, bytes);
        Run bad = cli("aep", "verify", pack.toString());
        assertEquals(ExitCodes.INVALID, bad.code(), bad.out());
        assertTrue(bad.out().contains("FAILED   event 3: the fields shown are not what was hashed"), bad.out());
        assertFalse(bad.out().contains("\tat ") || bad.err().contains("\tat "), "no stack trace");
    }

    @Test
    void anUnknownEntityAndAnEmptyWindowExitFour() {
        Run unknown = cli("journal", "export", "--entity", "agent:no-such-agent", "--out",
                tmp.resolve("x.json").toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("no journal for agent:no-such-agent"), unknown.err());

        Run empty = cli("journal", "export", "--entity", killed.toString(), "--from", "2000-01-01T00:00:00Z",
                "--to", "2000-01-02T00:00:00Z", "--out", tmp.resolve("y.json").toString());
        assertEquals(ExitCodes.NOT_FOUND, empty.code(), empty.err());
        assertTrue(empty.err().contains("no events of " + killed + " between 2000-01-01T00:00:00Z and "
                + "2000-01-02T00:00:00Z: its journal holds events 1.."), empty.err());
        assertFalse(Files.exists(tmp.resolve("y.json")));
    }

    private static Run cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--cassandra";
        all[args.length + 1] = TestSwarm.contactPoint();
        all[args.length + 2] = "--keyspace";
        all[args.length + 3] = KEYSPACE;
        if (args[0].equals("aep")) {
            all = args; // offline: no Cassandra options at all
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static <R> R ask(SwarmNode node, EntityAddress target, Function<ActorRef<R>, EntityCommand> message)
            throws Exception {
        return node.<R>ask(target, message).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
