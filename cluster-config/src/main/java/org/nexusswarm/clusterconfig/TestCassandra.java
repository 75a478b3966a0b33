package org.nexusswarm.clusterconfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One ephemeral Cassandra per JVM for integration tests of any module.
 *
 * <p>{@link #shared()} starts it on first use in a fresh directory under {@code target/} (or in the
 * directory named by the system property {@value #DIR_PROPERTY}), on random free ports, and returns
 * the same instance afterwards. It is stopped when the JVM exits (shutdown hook, or its watchdog
 * if the JVM is killed), or earlier by {@link #stopShared()}. Connect with
 * {@code shared().contactPoint()} and local datacenter {@link DevCassandra#LOCAL_DATACENTER}.
 *
 * <p>Caveats: the first call blocks for the Cassandra startup (about 5–10 s here); tests sharing
 * the instance should use their own keyspaces. The test JVM needs the cluster-config module built by
 * Maven (for the server classpath resource), e.g. as a test-scoped dependency.
 */
public final class TestCassandra {

    /**
     * Optional fixed data directory. If it already holds a running instance, that one is reused, and
     * it lives only as long as the JVM that started it.
     */
    public static final String DIR_PROPERTY = "nexus.test.cassandra.dir";

    private static DevCassandra shared;

    private TestCassandra() {
    }

    /** The JVM's test Cassandra, started if not running yet. */
    public static synchronized DevCassandra shared() {
        if (shared != null && ProcessHandle.of(shared.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            return shared;
        }
        shared = DevCassandra.startOrReuse(CassandraSettings.ephemeral(dataDir()), System.out::println);
        return shared;
    }

    /** Stops the shared instance now (if this JVM started it); a later {@link #shared()} starts a new one. */
    public static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    private static Path dataDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            // Under target/ so `mvn clean` removes it and a failed test's log stays there to read.
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "test-cassandra-");
        } catch (IOException e) {
            throw new CassandraLaunchException("Could not create a directory for the test Cassandra under "
                    + Path.of("target").toAbsolutePath() + " (" + CassandraDataDir.describe(e) + ")."
                    + " Set -D" + DIR_PROPERTY + "=<writable dir> to use another place.", e);
        }
    }
}
