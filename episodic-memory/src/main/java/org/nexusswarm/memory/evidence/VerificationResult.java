package org.nexusswarm.memory.evidence;

import java.util.List;

/**
 * The outcome of checking a pack: every finding, and what the pack claims to hold (null when it could not be
 * read far enough to say).
 */
public record VerificationResult(List<Finding> findings, Summary summary) {

    /**
     * @param signers     the node DIDs that signed the pack's checkpoints
     * @param sealOk      whether the seal matches the content
     * @param exporterDid the DID that signed the seal, or "" when unsigned
     */
    public record Summary(String entity, String persistenceId, long firstSeq, long lastSeq, int events,
            int checkpoints, List<String> signers, boolean sealOk, String exporterDid) {
        public Summary {
            signers = List.copyOf(signers);
        }
    }

    public VerificationResult {
        findings = List.copyOf(findings);
    }

    /** True when nothing is wrong (warnings allowed). */
    public boolean valid() {
        return errors().isEmpty();
    }

    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList();
    }

    /** One line for humans: "AEP for agent:x seq 1..240 (240 events), 3 checkpoints signed by did:…, seal ok". */
    public String describe() {
        if (summary == null) {
            return "unreadable evidence pack";
        }
        String signedBy = summary.signers().isEmpty() ? "" : " signed by " + String.join(", ", summary.signers());
        return "AEP for " + summary.entity() + " seq " + summary.firstSeq() + ".." + summary.lastSeq() + " ("
                + summary.events() + " events), " + summary.checkpoints() + " checkpoint"
                + (summary.checkpoints() == 1 ? "" : "s") + signedBy + ", seal " + (summary.sealOk() ? "ok" : "MISMATCH")
                + (summary.exporterDid().isEmpty() ? " (unsigned)" : " (signed by exporter " + summary.exporterDid() + ")");
    }
}
