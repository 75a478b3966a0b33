package org.nexusswarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.coordinator.cli.ExitCodes;
import org.nexusswarm.coordinator.cli.SwarmCli;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.memory.journal.CausalChain;
import org.nexusswarm.memory.journal.CauseTracer;
import org.nexusswarm.memory.journal.JournalEntry;
import org.nexusswarm.memory.journal.JournalFilter;
import org.nexusswarm.memory.journal.JournalReader;
import org.nexusswarm.memory.journal.TimelineQuery;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * Reviewers' queries against the real Cassandra, with the safety layer's own event types. The point: an event
 * written late, after later events of other journals and with an older clock (a node whose clock lags, a
 * delayed write), is still found by a time-window query and lands in its clock place in the timeline; events
 * by tag would risk missing it, so the queries read journals by persistence id instead.
 */
class ReviewerQueryIntegrationTest {

    private static final String KEYSPACE = "it_reviewer_query";
    private static final long T0 = Instant.parse("2026-11-21T07:30:00Z").toEpochMilli();
    private static final String A = "agent|itq-rail.agent-000";
    private static final String B = "agent|itq-rail.agent-001";
    private static final String C = "node|other-rail.node-0";

    private static ActorTestKit testKit;
    private static final Map<String, ActorRef<Append>> writers = new HashMap<>();
    private static final Map<String, Chronotope> heads = new HashMap<>();
    private static final Map<String, SafetyEvent> lastEvents = new HashMap<>();

    /** Persists exactly the event it is given: the test decides every chronotope. */
    record Append(SafetyEvent event, ActorRef<Long> replyTo) {}

    static final class Writer extends EventSourcedBehavior<Append, SafetyEvent, Long> {
        Writer(String persistenceId) {
            super(PersistenceId.ofUniqueId(persistenceId));
        }

        @Override
        public Long emptyState() {
            return 0L;
        }

        @Override
        public CommandHandler<Append, SafetyEvent, Long> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Append.class, (s, cmd) -> Effect().persist(cmd.event()).thenReply(cmd.replyTo(), n -> n))
                    .build();
        }

        @Override
        public EventHandler<Long, SafetyEvent> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((n, e) -> n + 1);
        }
    }

    @BeforeAll
    static void writeJournals() {
        // Local actor system on the shared test Cassandra; only this JVM sends the commands, so they need no Kryo.
        Config config = TestSwarm.config(KEYSPACE, Map.of())
                .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"))
                .withValue("pekko.actor.serialize-messages", ConfigValueFactory.fromAnyRef("off"));
        testKit = ActorTestKit.create("ReviewerQueryIntegrationTest", config);

        // Journal A: six events, one a second from T0, in cell-1; each proposal follows the previous event.
        for (int i = 0; i < 6; i++) {
            long wall = T0 + i * 1000L;
            List<String> causes = i == 0 ? List.of() : List.of(A + "#" + i);
            append(A, wall, "cell-1", causes, c -> c.sequence() % 2 == 1
                    ? new SafetyEvent.ActionProposed(c, "intent-a" + c.sequence(), "alert", "node:x", "Alert", "v1", Map.of())
                    : new SafetyEvent.ActionAllowed(c, "intent-a" + c.sequence(), "alert", "node:x", "rule-1", "rail:x@1", 0.1));
        }
        // Journal C, another rail: one event at T0 + 2.2 s.
        append(C, T0 + 2200, "cell-1", List.of("external:operator"),
                c -> new SafetyEvent.Killed(c, "operator", "drill"));
        // Journal B is written last, but happened at T0 + 2.5 s by its (lagging) clock: a late write. Its proposal
        // follows A#4 and a sensor feed; its denial follows the proposal.
        append(B, T0 + 2500, "cell-2", List.of(A + "#4", "external:feed:soil"),
                c -> new SafetyEvent.ActionProposed(c, "intent-b1", "irrigate", "node:x", "Irrigate", "v1", Map.of()));
        append(B, T0 + 2600, "cell-2", List.of(B + "#1"),
                c -> new SafetyEvent.ActionDenied(c, "intent-b1", "irrigate", RefusalCode.OUT_OF_ENVELOPE, "too much",
                        1, "rail:x@1", 1.5));
    }

    @AfterAll
    static void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private static void append(String pid, long wall, String place, List<String> causes,
            Function<Chronotope, SafetyEvent> event) {
        Chronotope head = heads.get(pid);
        long seq = head == null ? 1 : head.sequence() + 1;
        long hlc = HybridLogicalClock.tick(head == null ? 0 : head.hlc(), wall);
        String previous = head == null ? HashChain.GENESIS : HashChain.hashOf(lastEvents.get(pid));
        Chronotope c = new Chronotope(wall, seq, hlc, place, "", previous, causes, "rail:x@1", "v1");
        SafetyEvent e = event.apply(c);
        ActorRef<Append> writer = writers.computeIfAbsent(pid, p -> testKit.spawn(new Writer(p)));
        TestProbe<Long> done = testKit.createTestProbe();
        writer.tell(new Append(e, done.ref()));
        assertEquals(seq, done.expectMessageClass(Long.class, java.time.Duration.ofSeconds(30)));
        heads.put(pid, c);
        lastEvents.put(pid, e);
    }

    private static List<String> timeline(JournalFilter filter) throws Exception {
        return TimelineQuery.over(testKit.system(), "pekko.persistence.cassandra.query").timeline(filter)
                .runWith(Sink.seq(), testKit.system()).toCompletableFuture().get(60, TimeUnit.SECONDS)
                .stream().map(e -> e.persistenceId() + "#" + e.sequenceNr()).toList();
    }

    private static Instant at(long offsetMillis) {
        return Instant.ofEpochMilli(T0 + offsetMillis);
    }

    @Test
    void aLateWriteWithAnOlderClockIsFoundAndTakesItsClockPlace() throws Exception {
        assertEquals(List.of(A + "#3", C + "#1", B + "#1", B + "#2", A + "#4"),
                timeline(JournalFilter.all().between(at(2000), at(3000))));
        List<String> all = timeline(JournalFilter.all().withKinds(java.util.Set.of("agent", "node")));
        assertEquals(9, all.size(), all.toString());
        assertEquals(all.indexOf(A + "#4") - 1, all.indexOf(B + "#2"), "B sits between A#3 and A#4: " + all);
    }

    @Test
    void aWindowQueriedBeforeALateWriteShowsItWhenQueriedAgain() throws Exception {
        // What defeats events-by-tag: a reader has already passed this time (its offset moved on), then an event
        // from an earlier time arrives. Reading the journals again finds it, in its place.
        JournalFilter window = JournalFilter.all().between(at(1000), at(1500));
        assertEquals(List.of(A + "#2"), timeline(window));
        String late = "orchestrator|late-rail.orchestrator-0";
        append(late, T0 + 1200, "cell-9", List.of(A + "#2"), c -> new SafetyEvent.Killed(c, "operator", "late"));
        assertEquals(List.of(A + "#2", late + "#1"), timeline(window));
        assertEquals(List.of(late + "#1"), timeline(JournalFilter.all().withPlace("cell-9")));
    }

    @Test
    void queriesByPlaceRailKindAndAnEmptyWindow() throws Exception {
        assertEquals(List.of(B + "#1", B + "#2"), timeline(JournalFilter.all().withPlace("cell-2")));
        List<String> rail = timeline(JournalFilter.all().withRail("itq-rail"));
        assertEquals(8, rail.size(), rail.toString());
        assertFalse(rail.contains(C + "#1"));
        assertEquals(List.of(C + "#1"), timeline(JournalFilter.all().withKinds(java.util.Set.of("node"))));
        assertEquals(List.of(), timeline(JournalFilter.all().between(at(60_000), at(120_000))));
    }

    @Test
    void theCausalChainIsFollowedAcrossJournals() throws Exception {
        CausalChain chain = new CauseTracer(new JournalReader(testKit.system(), "pekko.persistence.cassandra.query"))
                .trace(B, 2, 10, 100).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(List.of("0 " + B + "#2", "1 " + B + "#1", "2 " + A + "#4", "2 external:feed:soil",
                        "3 " + A + "#3", "4 " + A + "#2", "5 " + A + "#1"),
                chain.links().stream().map(l -> l.depth() + " " + l.ref()).toList());
        assertTrue(chain.links().stream().filter(l -> l.entry() != null).map(l -> l.entry())
                .allMatch(JournalEntry::chainIntact));
    }

    // --- the command line against the same journals ---

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--cassandra", TestSwarm.contactPoint(), "--keyspace", KEYSPACE));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        Run run = new Run(code, out.toString(), err.toString());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        return run;
    }

    @Test
    void journalQueryPrintsTheTimelineAndJsonLines() throws Exception {
        Run text = cli("journal", "query", "--from", at(2000).toString(), "--to", at(3000).toString());
        assertEquals(ExitCodes.OK, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(2).contains("agent:itq-rail.agent-000") && lines.get(2).contains("cell-1"), text.out());
        assertTrue(lines.get(4).contains("agent:itq-rail.agent-001") && lines.get(4).contains("<- " + A + "#4"),
                text.out());
        assertTrue(text.out().contains("5 events from 3 journals"), text.out());

        Run json = cli("journal", "query", "--place", "cell-2", "--rail", "itq-rail", "--kind", "agent", "--json");
        assertEquals(ExitCodes.OK, json.code(), json.err());
        List<String> jsonLines = json.out().lines().toList();
        assertEquals(2, jsonLines.size(), json.out());
        JsonNode first = new ObjectMapper().readTree(jsonLines.get(0));
        assertEquals(B, first.get("persistenceId").asText());
        assertEquals(at(2500).toString(), first.get("wallTime").asText());
        assertEquals("ActionProposed", first.get("type").asText());
        assertEquals("rail:x@1", first.get("policyVersion").asText());
        assertEquals(A + "#4", first.get("causes").get(0).asText());
        assertTrue(first.get("chainIntact").asBoolean());

        Run limited = cli("journal", "query", "--rail", "itq-rail", "--limit", "3", "--json");
        assertEquals(3, limited.out().lines().count(), limited.out());
    }

    @Test
    void emptyWindowsUnknownEntitiesAndBadTimesGetClearErrors() {
        Run empty = cli("journal", "query", "--from", at(60_000).toString(), "--to", at(120_000).toString());
        assertEquals(ExitCodes.NOT_FOUND, empty.code());
        assertTrue(empty.err().contains("no events between " + at(60_000) + " and " + at(120_000)), empty.err());

        Run showEmpty = cli("journal", "show", "agent:itq-rail.agent-000", "--from", at(60_000).toString());
        assertEquals(ExitCodes.NOT_FOUND, showEmpty.code());
        assertTrue(showEmpty.err().contains("no events since " + at(60_000)), showEmpty.err());

        Run unknown = cli("journal", "why", "--entity", "agent:nobody.agent-9", "--seq", "1");
        assertEquals(ExitCodes.NOT_FOUND, unknown.code());
        assertTrue(unknown.err().contains("no journal for agent:nobody.agent-9"), unknown.err());

        Run noSuchEvent = cli("journal", "why", "--entity", "itq-rail.agent-001", "--seq", "9");
        assertEquals(ExitCodes.NOT_FOUND, noSuchEvent.code());
        assertTrue(noSuchEvent.err().contains("has no event 9"), noSuchEvent.err());

        Run badTime = cli("journal", "query", "--from", "yesterday");
        assertEquals(ExitCodes.USAGE, badTime.code());
        assertTrue(badTime.err().contains("--from 'yesterday' is not a time"), badTime.err());
    }

    @Test
    void journalWhyAndShowWithAWindow() throws Exception {
        Run why = cli("journal", "why", "--entity", "agent:itq-rail.agent-001", "--seq", "2");
        assertEquals(ExitCodes.OK, why.code(), why.err());
        assertTrue(why.out().contains("external:feed:soil  (outside the swarm)"), why.out());
        assertTrue(why.out().contains("    <- agent:itq-rail.agent-000#4"), why.out());

        Run whyJson = cli("journal", "why", "--entity", "itq-rail.agent-001", "--seq", "2", "--depth", "1", "--json");
        assertEquals(ExitCodes.OK, whyJson.code(), whyJson.err());
        List<String> lines = whyJson.out().lines().toList();
        assertEquals(2, lines.size(), whyJson.out());
        assertEquals(1, new ObjectMapper().readTree(lines.get(1)).get("depth").asInt());

        Run show = cli("journal", "show", "agent:itq-rail.agent-000", "--from", at(1000).toString(), "--to",
                at(2000).toString(), "--json");
        assertEquals(ExitCodes.OK, show.code(), show.err());
        assertEquals(2, show.out().lines().count(), show.out());
    }
}
