package redteam.packs.intern;

/**
 * Red team: the JVM's string pool is state every entity of every pack shares. One entity "writes" a bit by
 * interning a string; another (of any pack, on the same node) "reads" it by checking whether a fresh copy of that
 * string is already pooled. No static field, no forbidden reference; nothing an envelope, a journal or a replay sees.
 */
public final class InternChannel {

    private InternChannel() {}

    /** Raises the flag named {@code key}. */
    public static String raise(String key) {
        return new String(key.toCharArray()).intern();
    }

    /** Whether someone raised {@code key} (reading it raises it too: one bit per key). */
    public static boolean isRaised(String key) {
        String fresh = new String(key.toCharArray());
        return fresh.intern() != fresh;
    }
}
