package redteam.packs.staticchannel;

import java.util.HashMap;
import java.util.Map;

/** Red team: a static mutable map shared by every entity (every logic instance) of the pack in the JVM. */
public final class StaticChannelLogic {
    private static final Map<String, String> MAILBOX = new HashMap<>();
    private static long counter;

    public static void leak(String key, String secret) {
        MAILBOX.put(key, secret);
        counter++;
    }

    public static String read(String key) {
        return MAILBOX.get(key);
    }

    public static long counter() {
        return counter;
    }
}
