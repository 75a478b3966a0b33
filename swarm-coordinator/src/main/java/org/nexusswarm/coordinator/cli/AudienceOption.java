package org.nexusswarm.coordinator.cli;

import com.typesafe.config.ConfigFactory;
import org.nexusswarm.coordinator.node.SwarmNode;
import org.nexusswarm.safety.api.operator.OperatorCommandSettings;
import picocli.CommandLine.Option;

/**
 * {@code --audience SWARM}: the swarm a signed operator command is minted for (its {@code aud} claim). The CLI
 * never asks the node which audience to use, since a node that could name it could obtain a token valid for
 * another swarm; it comes from the operator's side: this option, else {@code NEXUS_SWARM_AUDIENCE} or the
 * configured {@code nexus.swarm.safety.operator-commands.audience}, else the node's ActorSystem name.
 */
final class AudienceOption {

    @Option(names = "--audience", paramLabel = "SWARM",
            description = "The swarm the signed command is for (its aud); must equal the node's "
                    + "nexus.swarm.safety.operator-commands.audience. Default: $NEXUS_SWARM_AUDIENCE, else "
                    + "the configured audience, else " + SwarmNode.SYSTEM_NAME + ".")
    String audience;

    String resolve() {
        if (audience != null && !audience.isBlank()) {
            return audience.trim();
        }
        return OperatorCommandSettings.from(ConfigFactory.load(), SwarmNode.SYSTEM_NAME).audience();
    }
}
