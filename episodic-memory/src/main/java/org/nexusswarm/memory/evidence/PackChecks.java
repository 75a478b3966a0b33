package org.nexusswarm.memory.evidence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.checkpoint.MerkleTree;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * The content checks of one pack, each adding precise findings: subject, events (shown fields against the
 * hashed canonical form, hashes, chain), checkpoints (range, root, signature, trust), credentials, policies.
 * Keeps going after a failure so a reviewer sees every problem, not only the first.
 */
final class PackChecks {

    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-f]{64}");

    private final PackModel pack;
    private final Set<String> trustedNodes;
    private final List<Finding> findings;
    private final Map<Long, PackModel.Event> bySeq = new HashMap<>();
    private final Map<Long, Integer> indexBySeq = new HashMap<>();

    PackChecks(PackModel pack, Set<String> trustedNodes, List<Finding> findings) {
        this.pack = pack;
        this.trustedNodes = trustedNodes;
        this.findings = findings;
        for (int i = 0; i < pack.events().size(); i++) {
            bySeq.putIfAbsent(pack.events().get(i).seq(), pack.events().get(i));
            indexBySeq.putIfAbsent(pack.events().get(i).seq(), i);
        }
    }

    void run() {
        if (pack.events().isEmpty()) {
            error(Finding.Kind.BAD_STRUCTURE, "events: the pack holds no events");
            return;
        }
        subject();
        events();
        checkpoints();
        credentials();
        policies();
        if (pack.inclusionProofs() > 0) {
            error(Finding.Kind.INCLUSION_PROOFS_UNSUPPORTED, EvidencePack.FORMAT + " defines no inclusion proofs yet; "
                    + "this pack holds " + pack.inclusionProofs());
        }
    }

    private void subject() {
        PackModel.Subject s = pack.subject();
        try {
            String expected = EntityAddress.parse(s.entity()).persistenceId();
            if (!expected.equals(s.persistenceId())) {
                error(Finding.Kind.SUBJECT_MISMATCH, "subject: entity " + s.entity() + " has persistence id "
                        + expected + ", the pack says " + s.persistenceId());
            }
        } catch (IllegalArgumentException e) {
            error(Finding.Kind.SUBJECT_MISMATCH, "subject: entity '" + s.entity() + "': " + e.getMessage());
        }
        long first = pack.events().get(0).seq();
        long last = pack.events().get(pack.events().size() - 1).seq();
        if (s.firstSeq() != first || s.lastSeq() != last) {
            error(Finding.Kind.SUBJECT_MISMATCH, "subject: claims events " + s.firstSeq() + ".." + s.lastSeq()
                    + ", the pack holds " + first + ".." + last);
        }
        Instant from = instant(s.requestedFrom(), "requestedFrom");
        Instant to = instant(s.requestedTo(), "requestedTo");
        instant(s.exportedAt(), "exportedAt");
        long fromMillis = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toMillis = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        boolean anyInWindow = pack.events().stream()
                .anyMatch(e -> e.wallTimeMillis() >= fromMillis && e.wallTimeMillis() <= toMillis);
        if (!anyInWindow) {
            error(Finding.Kind.SUBJECT_MISMATCH, "subject: no event of the pack falls in the requested window "
                    + s.requestedFrom() + " .. " + s.requestedTo());
        }
    }

    private Instant instant(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            error(Finding.Kind.SUBJECT_MISMATCH, "subject." + field + ": '" + text + "' is not an ISO-8601 instant");
            return null;
        }
    }

    private void events() {
        List<PackModel.Event> events = pack.events();
        for (int i = 0; i < events.size(); i++) {
            PackModel.Event e = events.get(i);
            shownFieldsMatch(e);
            String actual = Sha256.hex((e.previousHash() + "\n" + e.canonicalForm())
                    .getBytes(StandardCharsets.UTF_8));
            if (!actual.equals(e.hash())) {
                error(Finding.Kind.EVENT_HASH_MISMATCH, "event " + e.seq() + ": its hash " + shortHash(e.hash())
                        + " does not match its canonical form (which hashes to " + shortHash(actual) + ")");
            }
            if (i == 0) {
                if (e.seq() == 1 && !HashChain.GENESIS.equals(e.previousHash())) {
                    error(Finding.Kind.CHAIN_BROKEN, "event 1 does not start the chain: its previous hash is "
                            + shortHash(e.previousHash()) + ", not " + shortHash(HashChain.GENESIS));
                }
                continue;
            }
            PackModel.Event before = events.get(i - 1);
            if (e.seq() != before.seq() + 1) {
                error(Finding.Kind.SEQUENCE_GAP, "events jump from seq " + before.seq() + " to " + e.seq());
            }
            if (!e.previousHash().equals(before.hash())) {
                error(Finding.Kind.CHAIN_BROKEN, "chain broken between events " + before.seq() + " and " + e.seq()
                        + ": event " + e.seq() + " names previous hash " + shortHash(e.previousHash()) + ", event "
                        + before.seq() + " has hash " + shortHash(before.hash()));
            }
        }
    }

    /** What a reviewer reads (chronotope, type, details) must be the start of what was hashed. */
    private void shownFieldsMatch(PackModel.Event e) {
        if (!Instant.ofEpochMilli(e.wallTimeMillis()).toString().equals(e.wallTime())) {
            error(Finding.Kind.EVENT_FIELDS_MISMATCH, "event " + e.seq() + ": wallTime " + e.wallTime()
                    + " is not wallTimeMillis " + e.wallTimeMillis());
        }
        Chronotope c = new Chronotope(e.wallTimeMillis(), e.seq(), e.hlc(), e.place(), e.inputDigest(),
                e.previousHash(), e.causes(), e.policyVersion(), e.logicVersion());
        String shown = c.canonicalForm() + "|" + e.type() + "|" + e.details();
        String hashed = e.canonicalForm();
        // Event types may append fields after the details (e.g. a sender's DID), always after a '|'.
        boolean matches = hashed.startsWith(shown)
                && (hashed.length() == shown.length() || hashed.charAt(shown.length()) == '|');
        if (!matches) {
            error(Finding.Kind.EVENT_FIELDS_MISMATCH, "event " + e.seq() + ": the fields shown are not what was "
                    + "hashed; they read '" + clip(shown, firstDifference(shown, hashed)) + "', the canonical form '"
                    + clip(hashed, firstDifference(shown, hashed)) + "'");
        }
    }

    private void checkpoints() {
        long first = pack.events().get(0).seq();
        long last = pack.events().get(pack.events().size() - 1).seq();
        boolean[] covered = new boolean[pack.events().size()];
        for (PackModel.Checkpoint c : pack.checkpoints()) {
            String name = "checkpoint at seq " + c.seq() + " (events " + c.fromSeq() + ".." + c.toSeq() + ")";
            // The size bound keeps the loops below within the pack whatever numbers a tampered file holds.
            if (c.fromSeq() > c.toSeq() || c.fromSeq() < first || c.toSeq() > last
                    || c.toSeq() - c.fromSeq() >= pack.events().size()) {
                error(Finding.Kind.CHECKPOINT_OUTSIDE_PACK, name + ": the range is not within the pack's events "
                        + first + ".." + last);
                continue;
            }
            PackModel.Event journaled = bySeq.get(c.seq());
            if (journaled == null || !journaled.canonicalForm().contains(c.merkleRoot())) {
                error(Finding.Kind.CHECKPOINT_NOT_JOURNALED, name + ": event " + c.seq() + " of the pack "
                        + (journaled == null ? "is missing" : "does not carry root " + shortHash(c.merkleRoot())));
            }
            checkRoot(c, name);
            if (!EvidencePackVerifier.signatureValid(c.nodeDid(), CheckpointEvent.statement(
                    pack.subject().persistenceId(), c.fromSeq(), c.toSeq(), c.merkleRoot()), c.signature())) {
                error(Finding.Kind.CHECKPOINT_SIGNATURE_INVALID, name + ": the signature does not verify for "
                        + c.nodeDid() + " over " + pack.subject().persistenceId() + ", its range and root");
            }
            for (long s = c.fromSeq(); s <= c.toSeq(); s++) {
                Integer index = indexBySeq.get(s);
                if (index != null) {
                    covered[index] = true;
                }
            }
        }
        uncovered(covered);
        signers();
    }

    private void checkRoot(PackModel.Checkpoint c, String name) {
        List<String> leaves = new ArrayList<>();
        for (long s = c.fromSeq(); s <= c.toSeq(); s++) {
            PackModel.Event e = bySeq.get(s);
            if (e == null || !HEX_HASH.matcher(e.hash()).matches()) {
                error(Finding.Kind.CHECKPOINT_ROOT_MISMATCH, name + ": cannot recompute the root: event " + s
                        + (e == null ? " is missing" : " has no valid hash"));
                return;
            }
            leaves.add(e.hash());
        }
        String root = MerkleTree.root(leaves);
        if (!root.equals(c.merkleRoot())) {
            error(Finding.Kind.CHECKPOINT_ROOT_MISMATCH, name + ": the Merkle root over events " + c.fromSeq() + ".."
                    + c.toSeq() + " is " + shortHash(root) + ", the checkpoint says " + shortHash(c.merkleRoot()));
        }
    }

    private void uncovered(boolean[] covered) {
        int i = 0;
        while (i < covered.length) {
            if (covered[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < covered.length && !covered[j + 1]) {
                j++;
            }
            List<PackModel.Event> events = pack.events();
            findings.add(Finding.warning(Finding.Kind.UNCOVERED_EVENTS, "events " + events.get(i).seq() + ".."
                    + events.get(j).seq()
                    + " are not covered by a checkpoint in this pack: only the hash chain vouches for them"));
            i = j + 1;
        }
    }

    private void signers() {
        List<String> actual = pack.checkpoints().stream().map(PackModel.Checkpoint::nodeDid).distinct().sorted().toList();
        if (!actual.equals(pack.signers())) {
            error(Finding.Kind.SIGNERS_MISMATCH, "signers: the pack lists " + pack.signers()
                    + ", its checkpoints are signed by " + actual);
        }
        if (trustedNodes.isEmpty()) {
            if (!actual.isEmpty()) {
                findings.add(Finding.warning(Finding.Kind.SIGNERS_NOT_CHECKED, "checkpoint signers not checked "
                        + "against trusted nodes (pass --trust-node DID): " + String.join(", ", actual)));
            }
            return;
        }
        actual.stream().filter(did -> !trustedNodes.contains(did)).forEach(did -> error(Finding.Kind.UNTRUSTED_SIGNER,
                "checkpoints signed by " + did + ", which is not among the trusted nodes"));
    }

    private void credentials() {
        for (PackModel.Credential c : pack.credentials()) {
            String name = "credential " + c.id();
            String actual = Sha256.hex(c.json().getBytes(StandardCharsets.UTF_8));
            if (!actual.equals(c.sha256())) {
                error(Finding.Kind.CREDENTIAL_HASH_MISMATCH, name + ": its text hashes to " + shortHash(actual)
                        + ", the pack says " + shortHash(c.sha256()));
            }
            PackModel.Event journaled = bySeq.get(c.journaledAtSeq());
            if (journaled == null && (c.journaledAtSeq() < 1 || c.journaledAtSeq() > pack.subject().lastSeq())) {
                // Credentials outside the pack are those in force at its start: journaled before it.
                error(Finding.Kind.CREDENTIAL_NOT_CITED, name + ": journaled at seq " + c.journaledAtSeq()
                        + ", which is neither in the pack nor before it");
            } else if (journaled == null) {
                findings.add(Finding.warning(Finding.Kind.CREDENTIAL_UNBOUND, name + " was journaled at seq "
                        + c.journaledAtSeq() + ", outside this pack: only the seal vouches for its text"));
            } else if (!journaled.canonicalForm().contains(c.id())) {
                error(Finding.Kind.CREDENTIAL_NOT_CITED, name + ": event " + c.journaledAtSeq()
                        + " of the pack does not name it");
            } else if (!journaled.canonicalForm().contains(c.sha256()) && !journaled.canonicalForm().contains(c.json())) {
                findings.add(Finding.warning(Finding.Kind.CREDENTIAL_UNBOUND, name + ": event " + c.journaledAtSeq()
                        + " names it but its hash does not cover the text: only the seal vouches for the text"));
            }
        }
    }

    private void policies() {
        Set<String> cited = new LinkedHashSet<>();
        pack.events().forEach(e -> cited.addAll(EvidencePackVerifier.policyLabels(e.policyVersion())));
        Set<String> present = new LinkedHashSet<>();
        for (PackModel.Policy p : pack.policies()) {
            present.add(p.version());
            String actual = Sha256.hex(p.text().getBytes(StandardCharsets.UTF_8));
            if (!actual.equals(p.sha256())) {
                error(Finding.Kind.POLICY_HASH_MISMATCH, "policy " + p.version() + ": its text hashes to "
                        + shortHash(actual) + ", the pack says " + shortHash(p.sha256()));
            }
            if (!cited.contains(p.version())) {
                error(Finding.Kind.POLICY_NOT_CITED, "policy " + p.version() + " is not cited by any event of the pack");
            }
        }
        List<String> missing = cited.stream().filter(v -> !present.contains(v)).toList();
        if (!missing.isEmpty()) {
            findings.add(Finding.warning(Finding.Kind.POLICY_TEXT_MISSING, "the pack holds no text for the cited "
                    + "policy version(s) " + String.join(", ", missing)));
        }
    }

    private void error(Finding.Kind kind, String message) {
        findings.add(Finding.error(kind, message));
    }

    static String shortHash(String hash) {
        return hash == null || hash.length() <= 12 ? String.valueOf(hash) : hash.substring(0, 12) + "…";
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    /** Up to 60 characters of {@code s} around {@code at}, so a long canonical form shows where it differs. */
    private static String clip(String s, int at) {
        int from = Math.max(0, at - 20);
        int to = Math.min(s.length(), at + 40);
        return (from > 0 ? "…" : "") + s.substring(from, to) + (to < s.length() ? "…" : "");
    }
}
