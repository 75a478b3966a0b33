package org.nexusswarm.clusterconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CassandraCommandTest {

    private static final Path ROOT = Path.of("/tmp/nexus-cassandra");

    @Test
    void serverClasspathIsCassandraWithItsOwnLogback() {
        List<Path> classpath = CassandraCommand.serverClasspath();
        Set<String> jars = classpath.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());

        assertTrue(jars.contains("cassandra-all-5.0.6.jar"), jars.toString());
        assertTrue(classpath.size() > 90, "only " + classpath.size() + " entries");
        assertFalse(jars.stream().anyMatch(j -> j.startsWith("junit") || j.startsWith("opentest4j")), jars.toString());
        // The root POM pins newer logback/agrona for the Pekko side; those must not reach Cassandra.
        assertTrue(jars.contains("logback-classic-1.2.12.jar") && jars.contains("logback-core-1.2.12.jar"),
                jars.toString());
        assertTrue(jars.contains("agrona-1.17.1.jar"), jars.toString());
    }

    @Test
    void missingClasspathResourceTellsToBuildFirst() {
        CassandraLaunchException e = assertThrows(CassandraLaunchException.class,
                () -> CassandraCommand.serverClasspath("no-such.classpath"));
        assertTrue(e.getMessage().contains("./mvnw -q install -DskipTests"), e.getMessage());
    }

    @Test
    void devCommandRunsCassandraDaemonDirectly() {
        CassandraSettings settings = CassandraSettings.dev(ROOT);
        List<String> cmd = CassandraCommand.build(settings, CassandraDataDir.at(ROOT), 7199,
                List.of(Path.of("/repo/cassandra-all.jar")), 1234);

        assertEquals(CassandraCommand.CASSANDRA_MAIN, cmd.get(cmd.size() - 1));
        assertEquals("/repo/cassandra-all.jar", cmd.get(cmd.indexOf("-cp") + 1));
        assertTrue(cmd.contains("-Xmx384m") && cmd.contains("-Xms384m"), cmd.toString());
        assertTrue(cmd.contains("-Dcassandra.config=file://" + ROOT + "/cassandra.yaml"), cmd.toString());
        assertTrue(cmd.contains("-Dcassandra.jmx.local.port=7199"), cmd.toString());
        assertTrue(cmd.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), cmd.toString());
        assertFalse(cmd.stream().anyMatch(a -> a.contains(CassandraWatchdogMain.PARENT_PID_PROPERTY)), cmd.toString());
        assertTrue(CassandraCommand.isOurCassandra(String.join(" ", cmd).substring(0, 200)),
                "marker must come early: the JDK truncates command lines");
    }

    @Test
    void ephemeralCommandRunsTheWatchdogWithThisModuleOnTheClasspath() {
        CassandraSettings settings = CassandraSettings.ephemeral(ROOT);
        List<String> cmd = CassandraCommand.build(settings, CassandraDataDir.at(ROOT), 7199,
                List.of(Path.of("/repo/cassandra-all.jar")), 1234);

        assertEquals(CassandraWatchdogMain.class.getName(), cmd.get(cmd.size() - 1));
        assertTrue(cmd.contains("-D" + CassandraWatchdogMain.PARENT_PID_PROPERTY + "=1234"), cmd.toString());
        assertEquals("/repo/cassandra-all.jar" + File.pathSeparator + CassandraCommand.ownCodeLocation(),
                cmd.get(cmd.indexOf("-cp") + 1));
        assertTrue(cmd.get(0).endsWith("java"), "ephemeral runs without setsid so it stays in our process group");
    }
}
