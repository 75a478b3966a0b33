package org.nexusswarm.safety.api.admission;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files that make up a pack, read without loading any of its classes: every file (class or resource) under
 * the package directory of the pack's implementation class (sub-packages included), plus the files under the
 * given resource prefixes (the packs module passes {@code policies/}, where a pack's shipped policies live), all
 * taken from the one class-path entry (directory or jar) the class loader would load the pack class from.
 *
 * <p>These are the bytes the manifest hashes and the bytecode check reads. {@link #shadowed()} lists the pack's
 * class files that the class loader would load from somewhere else (an earlier class-path entry with the same
 * name, or a {@code META-INF/versions/} entry of a Multi-Release jar): such a pack is refused, since its checked
 * bytes would not be the bytes that run.
 */
public final class PackFiles {

    private static final String VERSIONS = "META-INF/versions/";

    private final String location;
    private final String packagePrefix;
    private final SortedMap<String, byte[]> entries;
    private final List<String> shadowed;

    private PackFiles(String location, String packagePrefix, SortedMap<String, byte[]> entries, List<String> shadowed) {
        this.location = location;
        this.packagePrefix = packagePrefix;
        this.entries = Collections.unmodifiableSortedMap(entries);
        this.shadowed = List.copyOf(shadowed);
    }

    /**
     * The files of the pack whose implementation class is {@code className} (binary name), as {@code loader}
     * sees them. Throws {@link IllegalArgumentException} when the class is not found, lives in the unnamed
     * package, or its class-path entry is neither a directory nor a jar.
     */
    public static PackFiles locate(ClassLoader loader, String className, List<String> resourcePrefixes) {
        int dot = className.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("pack class " + className + " is in the unnamed package");
        }
        String classPath = className.replace('.', '/') + ".class";
        String packagePrefix = className.substring(0, dot).replace('.', '/') + "/";
        URL url = loader.getResource(classPath);
        if (url == null) {
            throw new IllegalArgumentException("pack class " + className + " is not on the class path");
        }
        SortedMap<String, byte[]> entries = new TreeMap<>();
        List<String> prefixes = new ArrayList<>();
        prefixes.add(packagePrefix);
        prefixes.addAll(resourcePrefixes);
        List<String> versioned = new ArrayList<>();
        String location;
        try {
            if ("file".equals(url.getProtocol())) {
                Path file = Path.of(url.toURI());
                Path root = file;
                for (int i = 0; i < classPath.split("/").length; i++) {
                    root = root.getParent();
                }
                location = root.toString();
                for (String prefix : prefixes) {
                    readDirectory(root, prefix, entries);
                }
            } else if ("jar".equals(url.getProtocol())) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                Path jar = Path.of(connection.getJarFileURL().toURI());
                location = jar.toString();
                try (JarFile jarFile = new JarFile(jar.toFile())) {
                    for (JarEntry e : Collections.list(jarFile.entries())) {
                        // In a Multi-Release jar the class loader reads META-INF/versions/N/x under the name x, so
                        // the bytes read here would not be the ones that run (red team, session 4).
                        String name = e.getName();
                        if (name.startsWith(VERSIONS)) {
                            String rest = name.substring(name.indexOf('/', VERSIONS.length()) + 1);
                            if (prefixes.stream().anyMatch(rest::startsWith)) {
                                versioned.add(rest + " (multi-release version " + name + ")");
                            }
                        }
                        if (!e.isDirectory() && prefixes.stream().anyMatch(p -> e.getName().startsWith(p))) {
                            try (InputStream in = jarFile.getInputStream(e)) {
                                entries.put(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                throw new IllegalArgumentException("pack class " + className + " comes from " + url
                        + ": only directories and jars can be admitted");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the files of pack class " + className + ": " + e.getMessage(),
                    e);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("pack class " + className + " comes from " + url, e);
        }
        String base = url.toString().substring(0, url.toString().length() - classPath.length());
        List<String> shadowed = new ArrayList<>(versioned);
        for (String path : entries.keySet()) {
            if (path.endsWith(".class")) {
                URL resolved = loader.getResource(path);
                if (resolved == null || !resolved.toString().equals(base + path)) {
                    shadowed.add(path + " (loaded from " + resolved + ")");
                }
            }
        }
        return new PackFiles(location, packagePrefix, entries, shadowed);
    }

    /** Files given directly (tests, or a pack read from somewhere other than a class loader). */
    public static PackFiles of(String location, String packagePrefix, Map<String, byte[]> files) {
        SortedMap<String, byte[]> copy = new TreeMap<>();
        files.forEach((k, v) -> copy.put(k, v.clone()));
        return new PackFiles(location, packagePrefix.endsWith("/") ? packagePrefix : packagePrefix + "/", copy,
                List.of());
    }

    private static void readDirectory(Path root, String prefix, SortedMap<String, byte[]> entries)
            throws IOException {
        Path dir = root.resolve(prefix);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                entries.put(root.relativize(p).toString().replace(java.io.File.separatorChar, '/'),
                        Files.readAllBytes(p));
            }
        }
    }

    /** The directory or jar the files were read from. */
    public String location() {
        return location;
    }

    /** The pack's package as an internal-name prefix, e.g. {@code org/nexusswarm/packs/climate/}. */
    public String packagePrefix() {
        return packagePrefix;
    }

    /** Path (with '/') to bytes, sorted by path. */
    public SortedMap<String, byte[]> entries() {
        return entries;
    }

    public List<String> paths() {
        return List.copyOf(entries.keySet());
    }

    /** Class files of the pack that the class loader would load from another class-path entry. */
    public List<String> shadowed() {
        return shadowed;
    }

    /** Path to lower-case hex SHA-256 of the file, sorted by path. */
    public SortedMap<String, String> sha256() {
        SortedMap<String, String> digests = new TreeMap<>();
        entries.forEach((path, bytes) -> digests.put(path, sha256(bytes)));
        return digests;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
