package org.nexusswarm.safety.api.monitor;

import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.nexusswarm.safety.internal.monitor.KillSwitch;

/** The kill switch as the edges read it (engaging and lifting go through the signed operator commands). */
public final class KillSwitches {

    /** The longest reason an engagement may give. */
    public static final int MAX_REASON_CHARS = KillSwitch.MAX_REASON_CHARS;

    /** One engaged kill switch: what it covers, who engaged it and why. */
    public record Engagement(KillTarget target, String operator, String reason) {}

    private KillSwitches() {}

    /** The kill switches engaged now, as this node sees them. */
    public static List<Engagement> engaged(ActorSystem<?> system) {
        return KillSwitch.get(system).engagements().stream()
                .map(e -> new Engagement(e.target(), e.operator(), e.reason())).toList();
    }
}
