package org.nexusswarm.memory.evidence;

import java.nio.charset.StandardCharsets;

/** Constants of the evidence pack format (see the package documentation for the layout). */
public final class EvidencePack {

    /** The format this build writes and the only one it reads. */
    public static final String FORMAT = "nexus-aep/1";

    private EvidencePack() {}

    /** The bytes an exporter signs: the format and the seal, so a signature cannot be moved to another format. */
    public static byte[] sealStatement(String sealSha256) {
        return (FORMAT + "|seal|" + sealSha256).getBytes(StandardCharsets.UTF_8);
    }
}
