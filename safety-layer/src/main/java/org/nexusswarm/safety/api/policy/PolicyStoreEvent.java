package org.nexusswarm.safety.api.policy;

import org.nexusswarm.actors.SwarmMessage;

/**
 * What a {@link PolicyStore} journals when it accepts a policy: {@link PolicyChanged} (the earlier signed-bytes
 * format, still read) or {@link PolicyChangedSigned} (a signed operator command).
 */
public interface PolicyStoreEvent extends SwarmMessage {
    String scope();

    long version();

    String sha256();

    String text();

    String operatorDid();
}
