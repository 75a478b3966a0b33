package org.nexusswarm.memory.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;

/** Builds the JSON document of a pack in the field order of the format (see the package documentation). */
final class EvidencePackWriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private EvidencePackWriter() {}

    static byte[] write(ExportWindow window, Map<String, PolicyText> policies, SwarmKeyPair exporterKey,
            Instant exportedAt) {
        List<EpisodeEvent> events = window.events();
        long firstSeq = events.get(0).chronotope().sequence();
        long lastSeq = events.get(events.size() - 1).chronotope().sequence();

        ObjectNode root = JSON.objectNode();
        root.put("format", EvidencePack.FORMAT);
        root.set("subject", subject(window.request(), firstSeq, lastSeq, exportedAt));
        ArrayNode eventNodes = root.putArray("events");
        events.forEach(e -> eventNodes.add(event(e)));
        ArrayNode checkpoints = root.putArray("checkpoints");
        TreeSet<String> signers = new TreeSet<>();
        for (EpisodeEvent e : events) {
            // Only checkpoints whose whole range is here: the others' roots cannot be recomputed from the pack.
            if (e instanceof CheckpointEvent c && c.fromSeq() >= firstSeq && c.toSeq() <= lastSeq) {
                checkpoints.add(checkpoint(c));
                signers.add(c.nodeDid());
            }
        }
        ArrayNode signerNodes = root.putArray("signers");
        signers.forEach(signerNodes::add);
        ArrayNode credentials = root.putArray("credentials");
        window.credentials().forEach(c -> credentials.addObject()
                .put("id", c.id())
                .put("journaledAtSeq", c.journaledAtSeq())
                .put("sha256", HashChain.sha256Hex(c.json().getBytes(StandardCharsets.UTF_8)))
                .put("json", c.json()));
        ArrayNode policyNodes = root.putArray("policies");
        // Only the versions the events cite: the verifier refuses texts nobody cited.
        List<String> cited = window.citedPolicyVersions();
        new TreeMap<>(policies).forEach((version, p) -> {
            if (cited.contains(version)) {
                policyNodes.addObject().put("version", version).put("sha256", p.sha256()).put("text", p.text());
            }
        });
        root.putArray("inclusionProofs");
        root.set("seal", seal(root, exporterKey));
        return CanonicalJson.fileBytes(root);
    }

    private static ObjectNode subject(ExportWindow.Request r, long firstSeq, long lastSeq, Instant exportedAt) {
        ObjectNode s = JSON.objectNode();
        s.put("persistenceId", r.persistenceId());
        s.put("entity", r.entity());
        s.put("requestedFrom", r.from() == null ? null : r.from().toString());
        s.put("requestedTo", r.to() == null ? null : r.to().toString());
        s.put("firstSeq", firstSeq);
        s.put("lastSeq", lastSeq);
        s.put("exportedAt", exportedAt.toString());
        return s;
    }

    private static ObjectNode event(EpisodeEvent e) {
        Chronotope c = e.chronotope();
        ObjectNode n = JSON.objectNode();
        n.put("seq", c.sequence());
        n.put("type", e.type());
        n.put("wallTimeMillis", c.wallTimeMillis());
        n.put("wallTime", Instant.ofEpochMilli(c.wallTimeMillis()).toString());
        n.put("hlc", c.hlc());
        n.put("place", c.place());
        ArrayNode causes = n.putArray("causes");
        c.causes().forEach(causes::add);
        n.put("policyVersion", c.policyVersion());
        n.put("logicVersion", c.logicVersion());
        n.put("inputDigest", c.inputDigest());
        n.put("details", e.details());
        n.put("previousHash", c.previousHash());
        n.put("hash", HashChain.hashOf(e));
        n.put("canonicalForm", e.canonicalForm());
        return n;
    }

    private static ObjectNode checkpoint(CheckpointEvent c) {
        return JSON.objectNode()
                .put("seq", c.chronotope().sequence())
                .put("fromSeq", c.fromSeq())
                .put("toSeq", c.toSeq())
                .put("merkleRoot", c.merkleRoot())
                .put("nodeDid", c.nodeDid())
                .put("signature", c.signature());
    }

    private static ObjectNode seal(ObjectNode sealed, SwarmKeyPair exporterKey) {
        String sha = HashChain.sha256Hex(CanonicalJson.bytes(sealed));
        ObjectNode seal = JSON.objectNode().put("sha256", sha);
        if (exporterKey != null) {
            seal.put("exporterDid", exporterKey.did().value());
            seal.put("signature", Base64.getEncoder().encodeToString(exporterKey.sign(EvidencePack.sealStatement(sha))));
        }
        return seal;
    }
}
