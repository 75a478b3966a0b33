package org.nexusswarm.memory.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/**
 * Journal entries and causal links as JSON lines for tools: one object per line, the same field names for
 * every event type (the event's own facts are in {@code details}, the text the hash chain covers).
 *
 * <p>Fields: persistenceId, entity, seq, wallTime (ISO-8601), hlc, hlcText, type, place, causes, policyVersion,
 * logicVersion, details, hash, chainIntact. {@code hlc} is the exact 64-bit clock, larger than 2^53: tools
 * that read numbers as doubles (JavaScript) lose its low bits, so they should keep the lines' order (already the
 * timeline order) or parse {@code hlc} as a big integer; {@code hlcText} is for people.
 */
public final class JournalJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JournalJson() {}

    /** One event as a JSON object on one line. */
    public static String line(JournalEntry e) {
        return write(node(e));
    }

    /** One causal link: the event's fields (when it was read) plus depth, ref, kind and causeOf. */
    public static String line(CausalLink link) {
        ObjectNode n = link.entry() != null ? node(link.entry()) : MAPPER.createObjectNode();
        n.put("depth", link.depth());
        n.put("ref", link.ref());
        n.put("kind", link.kind().name());
        n.put("causeOf", link.causeOf());
        return write(n);
    }

    private static ObjectNode node(JournalEntry e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("persistenceId", e.persistenceId());
        n.put("entity", e.entity());
        n.put("seq", e.sequenceNr());
        n.put("wallTime", Instant.ofEpochMilli(e.wallTimeMillis()).toString());
        n.put("hlc", e.hlc());
        n.put("hlcText", HybridLogicalClock.format(e.hlc()));
        n.put("type", e.type());
        n.put("place", e.place());
        com.fasterxml.jackson.databind.node.ArrayNode causes = n.putArray("causes");
        e.causes().forEach(causes::add);
        n.put("policyVersion", e.chronotope() == null ? "" : e.chronotope().policyVersion());
        n.put("logicVersion", e.chronotope() == null ? "" : e.chronotope().logicVersion());
        n.put("details", e.details());
        n.put("hash", e.hash());
        n.put("chainIntact", e.chainIntact());
        return n;
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + n, e); // a tree of strings and numbers always writes
        }
    }
}
