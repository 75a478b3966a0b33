package org.nexusswarm.clusterconfig;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Builds the command line of the separate Cassandra JVM.
 *
 * <p>The server classpath comes from the {@code cassandra.classpath} resource that the build writes
 * next to this class (Maven {@code dependency:build-classpath}); its entries point into the local
 * Maven repository of the machine that built this module.
 */
final class CassandraCommand {

    static final String CLASSPATH_RESOURCE = "cassandra.classpath";
    static final String CASSANDRA_MAIN = "org.apache.cassandra.service.CassandraDaemon";
    /**
     * First JVM option, naming the data directory: identifies our Cassandra JVMs. The JDK cuts
     * {@code ProcessHandle.Info.commandLine()} at 4096 characters, well before the main class.
     */
    static final String MARKER_PROPERTY = "nexus.cassandra.dataDir";

    private static final String BUILD_HINT = "Run `./mvnw -q install -DskipTests` in the project root first.";

    /** JDK internals Cassandra 5.0 reaches into on JDK 17 (as in its jvm17-server.options). */
    private static final List<String> JDK17_ACCESS = List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports=java.sql/java.sql=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.math=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private CassandraCommand() {
    }

    /**
     * The full command line.
     *
     * @param parentPid for ephemeral settings: the pid the Cassandra JVM must not outlive
     */
    static List<String> build(CassandraSettings settings, CassandraDataDir dir, int jmxPort,
                              List<Path> serverClasspath, long parentPid) {
        List<Path> classpath = new ArrayList<>(serverClasspath);
        if (settings.ephemeral()) {
            classpath.add(ownCodeLocation());
        }
        List<String> cmd = new ArrayList<>();
        if (!settings.ephemeral()) {
            setsid().ifPresent(setsid -> cmd.add(setsid.toString()));
        }
        cmd.add(javaExecutable().toString());
        cmd.add("-D" + MARKER_PROPERTY + "=" + dir.root());
        cmd.add("-Xms" + settings.heapMb() + "m");
        cmd.add("-Xmx" + settings.heapMb() + "m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.addAll(JDK17_ACCESS);
        cmd.add("-Dcassandra.config=" + dir.yamlFile().toUri());
        cmd.add("-Dcassandra.storagedir=" + dir.root());
        cmd.add("-Dcassandra.logdir=" + dir.logsDir());
        cmd.add("-Dcassandra-foreground=yes");
        cmd.add("-Dcassandra.jmx.local.port=" + jmxPort);
        cmd.add("-Dlogback.configurationFile=" + dir.logbackFile());
        if (settings.ephemeral()) {
            cmd.add("-D" + CassandraWatchdogMain.PARENT_PID_PROPERTY + "=" + parentPid);
        }
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        cmd.add(settings.ephemeral() ? CassandraWatchdogMain.class.getName() : CASSANDRA_MAIN);
        return cmd;
    }

    /** Whether a command line (possibly truncated) is that of a Cassandra JVM started by this class. */
    static boolean isOurCassandra(String commandLine) {
        return commandLine.contains("-D" + MARKER_PROPERTY + "=");
    }

    /** Reads and checks the build-generated server classpath. */
    static List<Path> serverClasspath() {
        return serverClasspath(CLASSPATH_RESOURCE);
    }

    static List<Path> serverClasspath(String resource) {
        String text;
        try (InputStream in = CassandraCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new CassandraLaunchException("The Cassandra server classpath (resource "
                        + CassandraCommand.class.getPackageName().replace('.', '/') + "/" + resource
                        + ") is missing: the cluster-config module was not built by Maven. " + BUILD_HINT);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new CassandraLaunchException("Could not read the Cassandra classpath resource: " + e.getMessage(), e);
        }
        List<Path> entries = Arrays.stream(text.split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .toList();
        if (entries.isEmpty()) {
            throw new CassandraLaunchException("The Cassandra classpath resource is empty. " + BUILD_HINT);
        }
        for (Path jar : entries) {
            if (!Files.isRegularFile(jar)) {
                throw new CassandraLaunchException("A jar of the Cassandra server classpath is missing: " + jar
                        + " (was the local Maven repository cleaned, or was this module built on another machine?) "
                        + BUILD_HINT);
            }
        }
        return entries;
    }

    /** The same Java as this JVM, so the Cassandra JVM gets a version known to work with it. */
    static Path javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .orElseThrow(() -> new CassandraLaunchException(
                        "Cannot find the java executable of this JVM (looked at " + fromHome + ")."));
    }

    /** Jar or classes directory of this module, which holds {@link CassandraWatchdogMain}. */
    static Path ownCodeLocation() {
        try {
            return Path.of(DevCassandra.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new CassandraLaunchException("Cannot locate the cluster-config classes for the Cassandra"
                    + " watchdog: " + e.getMessage(), e);
        }
    }

    /**
     * A non-ephemeral Cassandra is meant to outlive the launching JVM; in its own session it also
     * survives the Ctrl-C the terminal sends to the launcher's whole process group.
     * {@code setsid} execs in place (the child of a JVM is never a group leader), so the pid stays valid.
     */
    private static Optional<Path> setsid() {
        return Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable)
                .or(() -> Optional.of(Path.of("/bin/setsid")).filter(Files::isExecutable));
    }
}
