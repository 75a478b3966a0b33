package redteam.packs.oom;

/** Red team: a primitive array of Integer.MAX_VALUE elements; admission checks no allocation. */
public final class OomLogic {
    public static long[] grab() {
        return new long[Integer.MAX_VALUE];
    }
}
