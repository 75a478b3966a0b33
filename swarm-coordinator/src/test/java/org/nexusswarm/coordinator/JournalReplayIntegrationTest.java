package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.coordinator.rail.DeployedRail;
import org.nexusswarm.coordinator.rail.RailDeployer;
import org.nexusswarm.coordinator.rail.RailPolicies;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.orchestrators.ComputeResult;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;
import org.nexusswarm.packs.climate.DroughtWatchAgentLogic;
import org.nexusswarm.packs.climate.SoilMoistureReading;
import org.nexusswarm.packs.climate.SoilSensorScript;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * {@code swarm journal replay} and {@code what-if} against journals a real rail wrote to the real Cassandra: the
 * recorded logic reproduces every decision, a stricter policy changes some, an unknown entity is not found.
 */
class JournalReplayIntegrationTest {

    private static final String KEYSPACE = "it_replay";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 3;

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    @Test
    void theRecordedLogicReproducesItsDecisionsAndAStricterPolicyChangesSome() throws Exception {
        RailOptions options = new RailOptions(4, 2, 1, 2, 2, 7);
        EntityAddress agent;
        EntityAddress rogue;
        try (SwarmNode node = TestSwarm.node(KEYSPACE)) {
            // Through admission (dev-signed on first use), as a node deploys it: the replay admits the same pack.
            var climate = org.nexusswarm.coordinator.rail.PackGate.admit(node.system().settings().config(), "climate",
                    false, new java.io.PrintWriter(java.io.Writer.nullWriter()));
            DeployedRail rail = RailDeployer.deploy(node.registry(), climate.rail("drought-watch", options));
            RailPolicies.install(node.system(), node.bootstrapOperator(), climate, rail.blueprint(), WAIT);
            SoilSensorScript script = (SoilSensorScript) rail.blueprint().signals();
            List<Signal> first = script.round(1);
            // An honest agent in a dry cell, if there is one, so its journal also holds alerts.
            agent = first.subList(0, 3).stream()
                    .filter(s -> script.dryCells().contains(((SoilMoistureReading) s.payload()).cell()))
                    .map(Signal::target).findFirst().orElse(first.get(0).target());
            rogue = first.get(3).target();
            for (int round = 1; round <= ROUNDS; round++) {
                for (Signal signal : script.round(round)) {
                    DeliveryReply reply = node.<DeliveryReply>ask(signal.target(),
                            r -> new Deliver(rail.feed().envelope(signal.target(), signal.payload()), r))
                            .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertInstanceOf(DeliveryReply.Accepted.class, reply);
                }
            }
            JournalReader reader = new JournalReader(node.system(), "pekko.persistence.cassandra.query");
            TestProbe<Void> probe = TestProbe.create(node.system());
            probe.awaitAssert(WAIT, () -> settled(reader, agent));
            probe.awaitAssert(WAIT, () -> {
                List<String> types = read(reader, rogue).stream().map(JournalEntry::type).toList();
                assertTrue(types.contains("Killed"), "the rogue reaches max-denials: " + types);
                return null;
            });
        }

        Run replay = cli("journal", "replay", "--entity", agent.toString());
        assertEquals(0, replay.code(), replay.out() + replay.err());
        assertTrue(replay.out().matches("(?s).*all \\d+ decisions reproduced.*"), replay.out());
        assertTrue(replay.out().contains(DroughtWatchAgentLogic.VERSION), replay.out());

        Run rogueReplay = cli("journal", "replay", "--entity", rogue.id());
        assertEquals(0, rogueReplay.code(), rogueReplay.out() + rogueReplay.err());
        assertTrue(rogueReplay.out().contains("all 3 decisions reproduced"), rogueReplay.out());

        Run json = cli("journal", "replay", "--entity", agent.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().lines().allMatch(l -> l.startsWith("{")), json.out());
        assertTrue(json.out().contains("\"reproduced\":true"), json.out());

        String shipped = new String(getClass().getClassLoader().getResourceAsStream("policies/drought-watch.conf")
                .readAllBytes(), StandardCharsets.UTF_8);
        String stricter = shipped.replace("version = 1", "version = 2")
                .replace("rate-limit { max = 120, per = 1m }", "rate-limit { max = 1, per = 1m }");
        assertTrue(!stricter.equals(shipped) && stricter.contains("max = 1, per = 1m"), "the edit applied");
        Path policy = tmp.resolve("drought-watch-strict.conf");
        Files.writeString(policy, stricter);
        Run whatIf = cli("journal", "what-if", "--entity", agent.toString(), "--policy", policy.toString());
        assertEquals(0, whatIf.code(), whatIf.out() + whatIf.err());
        assertTrue(whatIf.out().contains("allowed → denied"), whatIf.out());
        assertTrue(whatIf.out().contains("RATE_LIMITED"), whatIf.out());
        assertTrue(whatIf.out().contains("under rail:drought-watch@2"), whatIf.out());

        Files.writeString(policy, shipped);
        Run same = cli("journal", "what-if", "--entity", agent.toString(), "--policy", policy.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("No decision would change."), same.out());

        Run unknown = cli("journal", "replay", "--entity", "agent:drought-watch.agent-999");
        assertEquals(4, unknown.code(), unknown.out() + unknown.err());
        assertTrue(unknown.err().contains("no journal for agent:drought-watch.agent-999"), unknown.err());
    }

    /**
     * The agent has decided everything it will: a certified result for every reading, every intent decided, and
     * an alert proposed for every certified result above the threshold (so no intent is still on its way).
     */
    private static Object settled(JournalReader reader, EntityAddress agent) throws Exception {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        List<SafetyEvent> events = read(reader, agent).stream().map(e -> (SafetyEvent) e.event()).toList();
        List<ComputeResult> results = events.stream()
                .filter(e -> e instanceof SafetyEvent.Observed o && o.payloadType().equals("ComputeResult"))
                .map(e -> (ComputeResult) org.nexusswarm.safety.internal.provenance.ProvenanceFrame.messageOf(kryo,
                        ((SafetyEvent.Observed) e).payload())).toList();
        long proposed = events.stream().filter(e -> e instanceof SafetyEvent.ActionProposed).count();
        long decided = events.stream().filter(e -> e instanceof SafetyEvent.ActionAllowed
                || e instanceof SafetyEvent.ActionDenied || e instanceof SafetyEvent.ApprovalRequested).count();
        long alertsDue = results.stream().filter(r -> r.certified()
                && r.value() > DroughtWatchAgentLogic.DEFAULT_ALERT_THRESHOLD).count();
        long alerts = events.stream().filter(e -> e instanceof SafetyEvent.ActionProposed p
                && p.actionClass().equals(DroughtWatchAgentLogic.ALERT_ACTION)).count();
        assertEquals(ROUNDS, results.size(), "a result per reading: " + events.stream()
                .map(e -> e.type() + " " + e.details()).toList());
        assertEquals(proposed, decided, "every intent decided");
        assertEquals(alertsDue, alerts, "every due alert proposed");
        return null;
    }

    private static List<JournalEntry> read(JournalReader reader, EntityAddress entity) throws Exception {
        return reader.readAll(entity.persistenceId()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The manifest directory and trust list TestSwarm's node admitted the pack with: the replay admits it too.
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--cassandra", TestSwarm.contactPoint(), "--keyspace", KEYSPACE,
                        "--manifest-dir", TestSwarm.manifestDir(), "--trusted-publishers-file",
                        TestSwarm.trustedPublishersFile()))
                .toArray(String[]::new);
        int code = SwarmCli.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
