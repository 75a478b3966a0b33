package org.acme.replaycli.loop;

import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;

/** Its step never returns. */
public final class LoopLogic implements AgentLogic<Long> {

    public static final String VERSION = "loop/1";

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Long init(AgentContext context) {
        return 0L;
    }

    @Override
    public Step<Long> step(Long state, AgentInput input) {
        long n = state;
        while (n >= 0) {
            n = (n + 1) % 1_000;
        }
        return Step.of(n);
    }
}
