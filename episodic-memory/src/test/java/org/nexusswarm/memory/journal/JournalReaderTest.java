package org.nexusswarm.memory.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.query.scaladsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.memory.chronotope.HashChain;

/** Reads a journal written by a real event-sourced actor back through the persistence testkit's read journal. */
@ExtendWith(LogCapturingExtension.class)
class JournalReaderTest {

    private static ActorTestKit testKit;
    private static JournalReader reader;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("JournalReaderTest",
                PersistenceTestKitPlugin.config()
                        .withFallback(PersistenceTestKitSnapshotPlugin.config())
                        .withFallback(ConfigFactory.load("application-test")));
        reader = new JournalReader(testKit.system(), PersistenceTestKitReadJournal.Identifier());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void anIntactJournalReadsBackInOrderWithEveryLinkIntact() throws Exception {
        ActorRef<Diary.Command> diary = testKit.spawn(Diary.create("intact"));
        TestProbe<Diary.Written> written = testKit.createTestProbe();
        List<String> texts = List.of("first", "second", "third", "fourth");
        for (String text : texts) {
            diary.tell(new Diary.Write(text, written.ref()));
            written.expectMessageClass(Diary.Written.class);
        }

        List<JournalEntry> entries = read("diary|intact");

        assertEquals(texts.size(), entries.size());
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry e = entries.get(i);
            assertTrue(e.chainIntact(), "entry " + (i + 1));
            assertEquals("diary|intact", e.persistenceId());
            assertEquals(i + 1, e.sequenceNr());
            assertEquals(e.sequenceNr(), e.chronotope().sequence(), "chronotope sequence = journal sequence");
            assertEquals("Entry", e.type());
            assertEquals("wrote '" + texts.get(i) + "'", e.details());
            assertEquals(Diary.PLACE, e.chronotope().place());
            if (i > 0) {
                assertTrue(e.chronotope().hlc() > entries.get(i - 1).chronotope().hlc());
            }
        }
        assertEquals(HashChain.GENESIS, entries.get(0).chronotope().previousHash());
    }

    @Test
    void aForgedLinkIsReportedAsBroken() throws Exception {
        ActorRef<Diary.Command> diary = testKit.spawn(Diary.create("forged"));
        TestProbe<Diary.Written> written = testKit.createTestProbe();
        diary.tell(new Diary.Write("one", written.ref()));
        written.expectMessageClass(Diary.Written.class);
        diary.tell(new Diary.Write("two", written.ref()));
        written.expectMessageClass(Diary.Written.class);
        diary.tell(new Diary.WriteForged("three", HashChain.sha256Hex(new byte[] {1}), written.ref()));
        written.expectMessageClass(Diary.Written.class);
        diary.tell(new Diary.Write("four", written.ref()));
        written.expectMessageClass(Diary.Written.class);

        List<JournalEntry> entries = read("diary|forged");

        assertEquals(List.of(true, true, false, true), entries.stream().map(JournalEntry::chainIntact).toList(),
                "only the forged entry breaks; the next one links to the forged entry's own hash");
        String broken = TimelineFormatter.line(entries.get(2));
        assertTrue(broken.contains("BROKEN") && broken.contains("wrote 'three'"), broken);
        String ok = TimelineFormatter.line(entries.get(3));
        assertTrue(ok.contains(" ok ") && !ok.contains("BROKEN"), ok);
        assertTrue(TimelineFormatter.header().contains("chain"));
    }

    @Test
    void anUnknownJournalIsEmpty() throws Exception {
        assertTrue(read("diary|never-written").isEmpty());
    }

    @Test
    void aRestartedWriterContinuesTheChain() throws Exception {
        TestProbe<Diary.Written> written = testKit.createTestProbe();
        ActorRef<Diary.Command> first = testKit.spawn(Diary.create("restarted"));
        first.tell(new Diary.Write("before", written.ref()));
        written.expectMessageClass(Diary.Written.class);
        testKit.stop(first);
        ActorRef<Diary.Command> second = testKit.spawn(Diary.create("restarted"));
        second.tell(new Diary.Write("after", written.ref()));
        assertEquals(2, written.expectMessageClass(Diary.Written.class).sequence());

        List<JournalEntry> entries = read("diary|restarted");
        assertEquals(2, entries.size());
        assertTrue(entries.stream().allMatch(JournalEntry::chainIntact));
        assertFalse(entries.get(1).chronotope().previousHash().equals(HashChain.GENESIS));
    }

    private static List<JournalEntry> read(String persistenceId) throws Exception {
        return reader.readAll(persistenceId).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
