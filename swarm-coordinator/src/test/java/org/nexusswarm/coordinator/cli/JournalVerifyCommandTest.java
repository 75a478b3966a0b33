package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code swarm journal verify}'s refusals before any journal is read (the checks themselves: the tamper IT). */
class JournalVerifyCommandTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwarmCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void unreachableCassandraExitsWith3() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run r = run("journal", "verify", "--rail", "drought-watch", "--cassandra", "127.0.0.1:" + closedPort);
        assertEquals(ExitCodes.CASSANDRA_UNAVAILABLE, r.code(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aTrustedNodeThatIsNotADidIsAUsageError() {
        Run r = run("journal", "verify", "--trust-node", "alice", "--cassandra", "127.0.0.1:1");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("not a Nexus DID"), r.err());
    }

    @Test
    void entityAndRailExcludeEachOther() {
        Run r = run("journal", "verify", "--entity", "agent:x", "--rail", "y");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void aRailMatchesItsInstancesEntities() {
        assertTrue(JournalVerifyCommand.inRail("drought-watch-20261121t0730.agent-003", "drought-watch-20261121t0730"));
        assertTrue(JournalVerifyCommand.inRail("drought-watch-20261121t0730.agent-003", "drought-watch"));
        assertTrue(JournalVerifyCommand.inRail("drought-watch.agent-003", "drought-watch"));
        assertFalse(JournalVerifyCommand.inRail("drought-watcher.agent-003", "drought-watch"));
        assertFalse(JournalVerifyCommand.inRail("flood.agent-003", "drought-watch"));
    }
}
