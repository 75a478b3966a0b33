package org.nexusswarm.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code swarm node --join HOST:PORT --port P}: the seed and port they stand for, and bad values refused. */
class NodeJoinOptionTest {

    private static final Config BASE = ConfigFactory.parseString(
            "pekko.cluster.seed-nodes = [], pekko.remote.artery.canonical.port = 25520");

    @Test
    void joinNamesTheSeedAndPortTheListener() {
        Config c = NodeCommand.joinAndPort(BASE, "127.0.0.1:25521", 0);
        assertEquals(List.of("pekko://nexus-swarm@127.0.0.1:25521"), c.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(0, c.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(BASE, NodeCommand.joinAndPort(BASE, null, null), "nothing given, nothing changed");
    }

    @Test
    void malformedValuesAreUsageErrors() {
        for (String bad : List.of("127.0.0.1", "host:port", "pekko://x@h:1", "a b:1", "h:123456")) {
            UserError e = assertThrows(UserError.class, () -> NodeCommand.joinAndPort(BASE, bad, null), bad);
            assertEquals(ExitCodes.USAGE, e.exitCode());
        }
        assertEquals(ExitCodes.USAGE, assertThrows(UserError.class,
                () -> NodeCommand.joinAndPort(BASE, null, 70000)).exitCode());
    }
}
