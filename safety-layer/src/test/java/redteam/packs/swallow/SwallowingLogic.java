package redteam.packs.swallow;

import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;

/**
 * Red team: a step that never returns and swallows every {@code ThreadDeath} the watchdog throws at it, once through
 * {@code catch (Throwable)} and once through a {@code finally} that jumps back into the loop (a catch-any handler
 * with no type at all). Nothing in it is a forbidden reference.
 */
public final class SwallowingLogic implements AgentLogic<Long> {

    @Override
    public String version() {
        return "swallow/1";
    }

    @Override
    public Long init(AgentContext context) {
        return 0L;
    }

    @Override
    public Step<Long> step(Long state, AgentInput input) {
        long x = state;
        for (;;) {
            try {
                while (x >= 0) {
                    x = (x + 1) & 0xff;
                }
            } catch (Throwable stop) {
                x = 0;
            }
        }
    }

    @SuppressWarnings("finally")
    static long viaFinally(long x) {
        for (;;) {
            try {
                while (x >= 0) {
                    x = (x + 1) & 0xff;
                }
            } finally {
                x = 0;
                continue;
            }
        }
    }
}
