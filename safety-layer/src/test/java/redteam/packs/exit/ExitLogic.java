package redteam.packs.exit;

/** Red team: ends the node's JVM from a step. */
public final class ExitLogic {
    public int step(int state) {
        if (state > 3) {
            System.exit(1);
        }
        return state + 1;
    }
}
