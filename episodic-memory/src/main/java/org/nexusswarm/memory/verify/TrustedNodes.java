package org.nexusswarm.memory.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nexusswarm.actors.identity.Did;

/**
 * The node keys a reviewer trusts to sign checkpoints: a plain text file of node DIDs, one per line
 * ({@code #} starts a comment), plus any given on the command line. A node appends its own DID when it
 * creates its key, so a single-machine swarm trusts itself without setup; in a real deployment the file is
 * distributed like any other trust anchor.
 *
 * <p>The file is configured with {@code nexus.swarm.memory.trusted-nodes-file}. A missing file means "no
 * trust configured": signatures are still checked, and an unknown signer is a warning, not a failure.
 */
public final class TrustedNodes {

    private final Set<String> dids;

    private TrustedNodes(Set<String> dids) {
        this.dids = Set.copyOf(dids);
    }

    public static TrustedNodes none() {
        return new TrustedNodes(Set.of());
    }

    public static TrustedNodes of(Collection<String> dids) {
        return none().plus(dids);
    }

    /** The DIDs listed in {@code file}; none when it does not exist. A line that is not a DID is an error. */
    public static TrustedNodes load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return none();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted nodes file " + file + ": " + e.getMessage(), e);
        }
        Set<String> dids = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = strip(lines.get(i));
            if (!line.isEmpty()) {
                dids.add(parse(line, "line " + (i + 1) + " of " + file));
            }
        }
        return new TrustedNodes(dids);
    }

    /** These DIDs and {@code more} (each checked to be a node DID). */
    public TrustedNodes plus(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(dids);
        for (String did : more) {
            all.add(parse(did.trim(), "trusted node"));
        }
        return new TrustedNodes(all);
    }

    /** Appends {@code did} to {@code file} (created with its directory) unless it is already listed. */
    public static void append(Path file, Did did) {
        if (load(file).trusts(did.value())) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String header = Files.exists(file) ? ""
                    : "# Node keys trusted to sign journal checkpoints (one DID per line).\n";
            Files.writeString(file, header + did.value() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trusted nodes file " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean trusts(String did) {
        return dids.contains(did);
    }

    /** No trust configured: unknown signers are then reported as warnings only. */
    public boolean isEmpty() {
        return dids.isEmpty();
    }

    public int size() {
        return dids.size();
    }

    private static String strip(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).trim();
    }

    private static String parse(String text, String where) {
        try {
            Did did = new Did(text);
            if (did.publicKey().length != 32) {
                throw new IllegalArgumentException("not an Ed25519 node DID: " + text);
            }
            return did.value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }
}
