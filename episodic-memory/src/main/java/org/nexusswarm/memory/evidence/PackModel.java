package org.nexusswarm.memory.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A pack read from its JSON tree with strict types: every field present with the right JSON type and no
 * unknown fields, so a renamed or retyped field is reported as such (with its path) instead of being ignored.
 */
record PackModel(Subject subject, List<Event> events, List<Checkpoint> checkpoints, List<String> signers,
        List<Credential> credentials, List<Policy> policies, int inclusionProofs, Seal seal) {

    record Subject(String persistenceId, String entity, String requestedFrom, String requestedTo, long firstSeq,
            long lastSeq, String exportedAt) {}

    record Event(long seq, String type, long wallTimeMillis, String wallTime, long hlc, String place,
            List<String> causes, String policyVersion, String logicVersion, String inputDigest, String details,
            String previousHash, String hash, String canonicalForm) {}

    record Checkpoint(long seq, long fromSeq, long toSeq, String merkleRoot, String nodeDid, String signature) {}

    record Credential(String id, long journaledAtSeq, String sha256, String json) {}

    record Policy(String version, String sha256, String text) {}

    record Seal(String sha256, String exporterDid, String signature) {}

    /** A field that is missing, of the wrong type, or not part of the format. */
    static final class Malformed extends Exception {
        Malformed(String path, String problem) {
            super(path + ": " + problem);
        }
    }

    static final Set<String> TOP = Set.of("format", "subject", "events", "checkpoints", "signers", "credentials",
            "policies", "inclusionProofs", "seal");

    static PackModel read(JsonNode root) throws Malformed {
        only(root, "", TOP);
        JsonNode s = object(root, "subject", "");
        only(s, "subject", Set.of("persistenceId", "entity", "requestedFrom", "requestedTo", "firstSeq", "lastSeq",
                "exportedAt"));
        Subject subject = new Subject(text(s, "persistenceId", "subject"), text(s, "entity", "subject"),
                nullableText(s, "requestedFrom", "subject"), nullableText(s, "requestedTo", "subject"),
                number(s, "firstSeq", "subject"), number(s, "lastSeq", "subject"), text(s, "exportedAt", "subject"));

        List<Event> events = new ArrayList<>();
        JsonNode eventArray = array(root, "events", "");
        for (int i = 0; i < eventArray.size(); i++) {
            events.add(event(element(eventArray, i, "events"), "events[" + i + "]"));
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        JsonNode cpArray = array(root, "checkpoints", "");
        for (int i = 0; i < cpArray.size(); i++) {
            String p = "checkpoints[" + i + "]";
            JsonNode c = element(cpArray, i, "checkpoints");
            only(c, p, Set.of("seq", "fromSeq", "toSeq", "merkleRoot", "nodeDid", "signature"));
            checkpoints.add(new Checkpoint(number(c, "seq", p), number(c, "fromSeq", p), number(c, "toSeq", p),
                    text(c, "merkleRoot", p), text(c, "nodeDid", p), text(c, "signature", p)));
        }
        List<String> signers = texts(array(root, "signers", ""), "signers");
        List<Credential> credentials = new ArrayList<>();
        JsonNode crArray = array(root, "credentials", "");
        for (int i = 0; i < crArray.size(); i++) {
            String p = "credentials[" + i + "]";
            JsonNode c = element(crArray, i, "credentials");
            only(c, p, Set.of("id", "journaledAtSeq", "sha256", "json"));
            credentials.add(new Credential(text(c, "id", p), number(c, "journaledAtSeq", p), text(c, "sha256", p),
                    text(c, "json", p)));
        }
        List<Policy> policies = new ArrayList<>();
        JsonNode poArray = array(root, "policies", "");
        for (int i = 0; i < poArray.size(); i++) {
            String p = "policies[" + i + "]";
            JsonNode c = element(poArray, i, "policies");
            only(c, p, Set.of("version", "sha256", "text"));
            policies.add(new Policy(text(c, "version", p), text(c, "sha256", p), text(c, "text", p)));
        }
        int proofs = array(root, "inclusionProofs", "").size();
        JsonNode sealNode = object(root, "seal", "");
        only(sealNode, "seal", Set.of("sha256", "exporterDid", "signature"));
        String exporterDid = optionalText(sealNode, "exporterDid", "seal");
        String signature = optionalText(sealNode, "signature", "seal");
        if (exporterDid.isEmpty() != signature.isEmpty()) {
            throw new Malformed("seal", "exporterDid and signature go together");
        }
        Seal seal = new Seal(text(sealNode, "sha256", "seal"), exporterDid, signature);
        return new PackModel(subject, events, checkpoints, signers, credentials, policies, proofs, seal);
    }

    private static Event event(JsonNode e, String p) throws Malformed {
        only(e, p, Set.of("seq", "type", "wallTimeMillis", "wallTime", "hlc", "place", "causes", "policyVersion",
                "logicVersion", "inputDigest", "details", "previousHash", "hash", "canonicalForm"));
        return new Event(number(e, "seq", p), text(e, "type", p), number(e, "wallTimeMillis", p),
                text(e, "wallTime", p), number(e, "hlc", p), text(e, "place", p),
                texts(array(e, "causes", p), p + ".causes"), text(e, "policyVersion", p), text(e, "logicVersion", p),
                text(e, "inputDigest", p), text(e, "details", p), text(e, "previousHash", p), text(e, "hash", p),
                text(e, "canonicalForm", p));
    }

    static void only(JsonNode node, String path, Set<String> allowed) throws Malformed {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new Malformed(path.isEmpty() ? name : path + "." + name, "not a field of " + EvidencePack.FORMAT);
            }
        }
    }

    private static JsonNode field(JsonNode node, String name, String path) throws Malformed {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new Malformed(join(path, name), "missing");
        }
        return value;
    }

    static String text(JsonNode node, String name, String path) throws Malformed {
        JsonNode v = field(node, name, path);
        if (!v.isTextual()) {
            throw new Malformed(join(path, name), "expected a string, found " + v.getNodeType());
        }
        return v.textValue();
    }

    private static String nullableText(JsonNode node, String name, String path) throws Malformed {
        return field(node, name, path).isNull() ? null : text(node, name, path);
    }

    private static String optionalText(JsonNode node, String name, String path) throws Malformed {
        return node.has(name) ? text(node, name, path) : "";
    }

    private static long number(JsonNode node, String name, String path) throws Malformed {
        JsonNode v = field(node, name, path);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Malformed(join(path, name), "expected a whole number, found " + v.getNodeType());
        }
        return v.longValue();
    }

    private static JsonNode array(JsonNode node, String name, String path) throws Malformed {
        JsonNode v = field(node, name, path);
        if (!v.isArray()) {
            throw new Malformed(join(path, name), "expected an array, found " + v.getNodeType());
        }
        return v;
    }

    private static JsonNode object(JsonNode node, String name, String path) throws Malformed {
        JsonNode v = field(node, name, path);
        if (!v.isObject()) {
            throw new Malformed(join(path, name), "expected an object, found " + v.getNodeType());
        }
        return v;
    }

    private static JsonNode element(JsonNode array, int i, String path) throws Malformed {
        JsonNode v = array.get(i);
        if (!v.isObject()) {
            throw new Malformed(path + "[" + i + "]", "expected an object, found " + v.getNodeType());
        }
        return v;
    }

    private static List<String> texts(JsonNode array, String path) throws Malformed {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                throw new Malformed(path + "[" + i + "]", "expected a string, found " + array.get(i).getNodeType());
            }
            out.add(array.get(i).textValue());
        }
        return out;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
