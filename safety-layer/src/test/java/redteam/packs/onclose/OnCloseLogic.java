package redteam.packs.onclose;

import java.util.stream.Stream;

/**
 * Red team: no handler of its own, so StopSafety has nothing to look at, yet the JDK catches the {@code ThreadDeath}
 * for it. {@code Stream.close} chains {@code onClose} actions with {@code Streams.composeWithExceptions}, which
 * catches {@code Throwable} from one action, runs the next, and swallows whatever that one throws (it only becomes
 * a suppressed exception). Every action here spins, so each stop just moves the thread to the next action: it
 * outlives as many stops as there are actions.
 */
public final class OnCloseLogic {

    private OnCloseLogic() {
    }

    /** Spins until {@code quit[0] != 0}, surviving about {@code actions} stops. */
    public static void spin(int[] quit, int actions) {
        Stream<Object> s = Stream.empty();
        for (int i = 0; i < actions; i++) {
            s = s.onClose(() -> spinUntil(quit));
        }
        s.close();
    }

    private static void spinUntil(int[] quit) {
        long x = 0;
        while (quit[0] == 0) {
            x++;
        }
    }
}
