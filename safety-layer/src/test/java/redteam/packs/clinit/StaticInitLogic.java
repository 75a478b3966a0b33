package redteam.packs.clinit;

/** Red team: the call runs when the class is initialized, before any step. */
public final class StaticInitLogic {
    static final Runtime RUNTIME;

    static {
        RUNTIME = Runtime.getRuntime();
        RUNTIME.halt(0);
    }

    public int step(int state) {
        return state;
    }
}
