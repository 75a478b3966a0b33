package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The reviewers' journal commands refuse bad input before connecting to anything: one line, exit 2, no stack
 * trace. (Their results against a real Cassandra are in ReviewerQueryIntegrationTest.)
 */
class JournalQueryCommandTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // An address nothing listens on: these inputs must be refused before any connection attempt.
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--cassandra", "127.0.0.1:1")).toArray(String[]::new);
        int code = SwarmCli.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        Run r = new Run(code, out.toString(), err.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return r;
    }

    @Test
    void badTimesAreUsageErrors() {
        Run r = run("journal", "query", "--from", "yesterday");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--from 'yesterday' is not a time"), r.err());
        Run show = run("journal", "show", "agent:x", "--to", "2026-11-21 07:30");
        assertEquals(ExitCodes.USAGE, show.code());
        assertTrue(show.err().contains("--to '2026-11-21 07:30'"), show.err());
    }

    @Test
    void aWindowThatEndsBeforeItStartsIsAUsageError() {
        Run r = run("journal", "query", "--from", "2026-11-21T08:00:00Z", "--to", "2026-11-21T07:00:00Z");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("is after --to"), r.err());
    }

    @Test
    void unknownKindsAndBadNumbersAreUsageErrors() {
        Run kind = run("journal", "query", "--kind", "agent,robot");
        assertEquals(ExitCodes.USAGE, kind.code());
        assertTrue(kind.err().contains("unknown entity kind 'robot'"), kind.err());
        assertEquals(ExitCodes.USAGE, run("journal", "query", "--limit", "0").code());
        assertEquals(ExitCodes.USAGE, run("journal", "why", "--entity", "agent:x", "--seq", "0").code());
        Run missing = run("journal", "why", "--entity", "agent:x");
        assertEquals(ExitCodes.USAGE, missing.code());
        assertTrue(missing.err().contains("--seq"), missing.err());
    }

    @Test
    void helpNamesTheNewSubcommands() {
        StringWriter out = new StringWriter();
        int code = SwarmCli.execute(new String[] {"journal", "--help"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertEquals(0, code);
        assertTrue(out.toString().contains("query") && out.toString().contains("why"), out.toString());
    }
}
