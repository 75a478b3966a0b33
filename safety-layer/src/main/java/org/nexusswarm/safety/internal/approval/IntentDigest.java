package org.nexusswarm.safety.internal.approval;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * The digest an approval binds: SHA-256 over a domain tag, the SHA-256 of the exact payload bytes and the policy
 * parameters read from that payload (sorted, {@link Double#toString}). A decision for one digest does not
 * authorise an intent whose payload or parameters differ.
 */
public final class IntentDigest {

    private static final String TAG = "nexus.approval.intent.v1";

    private IntentDigest() {}

    public static String of(byte[] payload, Map<String, Double> parameters) {
        StringBuilder text = new StringBuilder(TAG).append('\n').append(HashChain.sha256Hex(payload)).append('\n');
        new TreeMap<>(parameters).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return HashChain.sha256Hex(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
