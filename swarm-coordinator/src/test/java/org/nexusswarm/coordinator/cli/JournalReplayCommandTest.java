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
import org.nexusswarm.packs.climate.DroughtWatchAgentLogic;

/**
 * {@code swarm journal replay | what-if}: what fails before anything connects to Cassandra. (The replays themselves
 * run against the real Cassandra in JournalReplayIntegrationTest.)
 */
class JournalReplayCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // A port nothing listens on: a command that got as far as connecting would fail with exit 3, not 2.
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--cassandra", "127.0.0.1:1")).toArray(String[]::new);
        int code = SwarmCli.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aPolicyFileThatDoesNotParseFailsClosedWithTheParsersMessage() throws Exception {
        Path bad = tmp.resolve("bad.conf");
        Files.writeString(bad, "scope = \"rail:drought-watch\"\nversion = 2\nrules { x { action = \"a\", colour = red } }\n");
        Run r = run("journal", "what-if", "--entity", "agent:drought-watch.agent-001", "--policy", bad.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().startsWith("error: policy file " + bad + " is invalid: "), r.err());
        assertTrue(r.err().contains("colour"), "the parser names the bad key: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.out().contains("Cassandra"), "nothing connected: " + r.out());
    }

    @Test
    void aMissingPolicyFileIsAUsageError() {
        Run r = run("journal", "what-if", "--entity", "agent:x.agent-001", "--policy", tmp.resolve("nope.conf").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("cannot read policy file"), r.err());
    }

    @Test
    void aBadTimeIsAUsageError() {
        Run r = run("journal", "replay", "--entity", "agent:x.agent-001", "--from", "yesterday");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--from 'yesterday' is not a time"), r.err());
        Run reversed = run("journal", "replay", "--entity", "agent:x.agent-001", "--from", "2026-11-22",
                "--to", "2026-11-21");
        assertEquals(ExitCodes.USAGE, reversed.code(), reversed.err());
    }

    @Test
    void aBadEntityIsAUsageError() {
        Run r = run("journal", "replay", "--entity", "starship:x");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("unknown entity kind"), r.err());
    }

    @Test
    void timesReadInSeveralForms() {
        assertEquals(java.time.Instant.parse("2026-11-21T07:30:00Z"),
                ReplayJournals.parseTime("--from", "2026-11-21T07:30:00Z"));
        assertEquals(java.time.Instant.parse("2026-11-21T07:30:00Z"),
                ReplayJournals.parseTime("--from", "2026-11-21T07:30"));
        assertEquals(java.time.Instant.parse("2026-11-21T00:00:00Z"), ReplayJournals.parseTime("--from", "2026-11-21"));
        assertEquals(java.time.Instant.ofEpochMilli(1_800_000_000_000L),
                ReplayJournals.parseTime("--from", "1800000000000"));
    }
}
