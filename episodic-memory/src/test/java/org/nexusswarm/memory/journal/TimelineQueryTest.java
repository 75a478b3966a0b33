package org.nexusswarm.memory.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.query.scaladsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timelines across journals and causal chains, over the persistence testkit's in-memory journal. The testkit
 * cannot list its journals, so the candidate ids are given (including journals the filters must leave out).
 */
@ExtendWith(LogCapturingExtension.class)
class TimelineQueryTest {

    private static final long T0 = Instant.parse("2026-11-21T07:30:00Z").toEpochMilli();

    private static ActorTestKit testKit;
    private static JournalReader reader;
    private static final List<String> ids = new ArrayList<>();
    private static final java.util.Map<String, ActorRef<Diary.Command>> diaries = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("TimelineQueryTest",
                PersistenceTestKitPlugin.config()
                        .withFallback(PersistenceTestKitSnapshotPlugin.config())
                        .withFallback(ConfigFactory.load("application-test")));
        reader = new JournalReader(testKit.system(), PersistenceTestKitReadJournal.Identifier());
        // rail-a: a sensor-ish journal and a decider that follows it; rail-b: an unrelated entity of pack "water".
        write("rail-a.s1", new Diary.Begin("rail-a", "climate", T0, null));
        write("rail-a.s1", at("reading 1", 1000, "cell-1", List.of("external:feed")));
        write("rail-a.s1", at("reading 2", 3000, "cell-1", List.of("diary|rail-a.s1#2")));
        write("rail-a.d1", at("decide on 1", 2000, "cell-2", List.of("diary|rail-a.s1#2")));
        write("rail-a.d1", at("decide on 2", 4000, "cell-2", List.of("diary|rail-a.d1#1", "diary|rail-a.s1#3")));
        write("rail-a.d1", at("dangling", 5000, "cell-2", List.of("diary|rail-a.s1#99", "garbage")));
        write("rail-b.x1", new Diary.Begin("rail-b", "water", T0 + 500, null));
        write("rail-b.x1", at("other", 2500, "cell-1", List.of()));
        // A journal with no start event; its rail name says pack "climate" (rail "rail-c" instance "rail-c-2").
        write("rail-c-2.y1", at("legacy", 1500, "cell-9", List.of()));
        ids.addAll(List.of("diary|rail-a.s1", "diary|rail-a.d1", "diary|rail-b.x1", "diary|rail-c-2.y1",
                "diary|never-written", "not-an-entity-journal"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static Diary.Command at(String text, long offsetMillis, String place, List<String> causes) {
        return new Diary.WriteAt(text, T0 + offsetMillis, place, causes, null);
    }

    private static void write(String id, Diary.Command template) {
        ActorRef<Diary.Command> diary = diaries.computeIfAbsent(id, i -> testKit.spawn(Diary.create(i)));
        TestProbe<Diary.Written> written = testKit.createTestProbe();
        if (template instanceof Diary.WriteAt w) {
            diary.tell(new Diary.WriteAt(w.text(), w.wallTime(), w.place(), w.causes(), written.ref()));
        } else if (template instanceof Diary.Begin b) {
            diary.tell(new Diary.Begin(b.rail(), b.pack(), b.wallTime(), written.ref()));
        }
        written.expectMessageClass(Diary.Written.class);
    }

    private static List<String> query(JournalFilter filter) throws Exception {
        TimelineQuery query = new TimelineQuery(testKit.system(), reader, () -> Source.from(ids));
        return query.timeline(filter).runWith(Sink.seq(), testKit.system()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).stream().map(e -> e.entity() + "#" + e.sequenceNr()).toList();
    }

    @Test
    void everythingMergesIntoOneTimelineInClockOrder() throws Exception {
        assertEquals(List.of("diary:rail-a.s1#1", "diary:rail-b.x1#1", "diary:rail-a.s1#2", "diary:rail-c-2.y1#1",
                "diary:rail-a.d1#1", "diary:rail-b.x1#2", "diary:rail-a.s1#3", "diary:rail-a.d1#2",
                "diary:rail-a.d1#3"), query(JournalFilter.all()));
    }

    @Test
    void selectsByRailPlaceKindAndWindow() throws Exception {
        assertEquals(List.of("diary:rail-a.s1#1", "diary:rail-a.s1#2", "diary:rail-a.d1#1", "diary:rail-a.s1#3",
                "diary:rail-a.d1#2", "diary:rail-a.d1#3"), query(JournalFilter.all().withRail("rail-a")));
        assertEquals(List.of("diary:rail-c-2.y1#1"), query(JournalFilter.all().withRail("rail-c*")));
        assertEquals(List.of("diary:rail-a.s1#2", "diary:rail-b.x1#2", "diary:rail-a.s1#3"),
                query(JournalFilter.all().withPlace("cell-1")));
        assertEquals(List.of(), query(JournalFilter.all().withKinds(Set.of("agent"))));
        assertEquals(List.of("diary:rail-a.d1#1", "diary:rail-b.x1#2", "diary:rail-a.s1#3"),
                query(JournalFilter.all().between(Instant.ofEpochMilli(T0 + 2000), Instant.ofEpochMilli(T0 + 3000))),
                "both ends inclusive, on the chronotope's wall time");
        assertEquals(List.of(), query(JournalFilter.all().between(Instant.ofEpochMilli(T0 + 10_000),
                Instant.ofEpochMilli(T0 + 20_000))));
    }

    @Test
    void selectsByPackFromStartEventsOrElseFromTheRailNames() throws Exception {
        assertEquals(List.of("diary:rail-b.x1#1", "diary:rail-b.x1#2"),
                query(JournalFilter.all().withPack("water", Set.of("rail-b"))),
                "the start event says water");
        // rail-a.s1 says climate; rail-c-2 has no start event but is an instance of rail-c; rail-b's start event
        // says water, which wins over its rail name; rail-a.d1 has neither.
        assertEquals(List.of("diary:rail-a.s1#1", "diary:rail-a.s1#2", "diary:rail-c-2.y1#1", "diary:rail-a.s1#3"),
                query(JournalFilter.all().withPack("climate", Set.of("rail-b", "rail-c"))));
    }

    @Test
    void traceFollowsCausesAcrossJournalsBreadthFirst() throws Exception {
        CausalChain chain = new CauseTracer(reader).trace("diary|rail-a.d1", 2, 10, 100)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> steps = chain.links().stream().map(l -> l.depth() + " " + l.ref() + " " + l.kind()).toList();
        assertEquals(List.of(
                "0 diary|rail-a.d1#2 EVENT",
                "1 diary|rail-a.d1#1 EVENT",
                "1 diary|rail-a.s1#3 EVENT",
                "2 diary|rail-a.s1#2 EVENT",
                "3 external:feed EXTERNAL"), steps, "s1#2 is reached twice, listed once");
        assertTrue(!chain.truncated());
        assertTrue(chain.links().stream().filter(l -> l.entry() != null).allMatch(l -> l.entry().chainIntact()));
        assertTrue(TimelineFormatter.chainLine(chain.links().get(3)).startsWith("    <- diary:rail-a.s1#2"));
    }

    @Test
    void traceReportsMissingAndUnreadableCausesAndItsLimits() throws Exception {
        CauseTracer tracer = new CauseTracer(reader);
        CausalChain dangling = tracer.trace("diary|rail-a.d1", 3, 10, 100).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("EVENT", "MISSING", "UNREADABLE"),
                dangling.links().stream().map(l -> l.kind().name()).toList());
        assertTrue(TimelineFormatter.chainLine(dangling.links().get(1)).contains("MISSING"));

        CausalChain shallow = tracer.trace("diary|rail-a.d1", 2, 1, 100).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(3, shallow.links().size());
        assertTrue(shallow.truncated());
        CausalChain few = tracer.trace("diary|rail-a.d1", 2, 10, 2).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(2, few.links().size());
        assertTrue(few.truncated());

        assertTrue(tracer.trace("diary|rail-a.d1", 42, 10, 100).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .isEmpty());
    }

    @Test
    void jsonLinesCarryTheChronotope() throws Exception {
        JournalEntry e = reader.event("diary|rail-a.d1", 2).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .orElseThrow();
        JsonNode json = new ObjectMapper().readTree(JournalJson.line(e));
        assertEquals("diary|rail-a.d1", json.get("persistenceId").asText());
        assertEquals(2, json.get("seq").asLong());
        assertEquals(Instant.ofEpochMilli(T0 + 4000).toString(), json.get("wallTime").asText());
        assertEquals(e.hlc(), json.get("hlc").asLong());
        assertEquals("cell-2", json.get("place").asText());
        assertEquals(List.of("diary|rail-a.d1#1", "diary|rail-a.s1#3"),
                List.of(json.get("causes").get(0).asText(), json.get("causes").get(1).asText()));
        assertEquals("diary-1", json.get("logicVersion").asText());
        assertEquals(e.hash(), json.get("hash").asText());
        assertTrue(json.get("chainIntact").asBoolean());
        assertTrue(!JournalJson.line(e).contains("\n"));
        String line = TimelineFormatter.timelineLine(e);
        assertTrue(line.contains("diary:rail-a.d1") && line.contains("cell-2") && line.contains("<- diary|rail-a.d1#1"), line);
    }
}
