package redteam.packs.inherited;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SimpleTimeZone;
import java.util.TimeZone;

/** Red team: denied JDK members named through an allowed subtype or the pack's own type as the owner. */
public final class InheritedLogic {

    /** The pack's own exception: javac names it, not Throwable, as the owner of printStackTrace. */
    public static final class Leak extends RuntimeException {
        public Leak(String message) {
            super(message);
        }
    }

    /** Throwable.printStackTrace writes System.err. */
    public static void stderr() {
        new Leak("exfil via stderr").printStackTrace();
    }

    /** ZoneId.systemDefault reads the host's zone; the static method is resolved through ZoneOffset. */
    @SuppressWarnings("static-access")
    public static ZoneId hostZone() {
        return ZoneOffset.systemDefault();
    }

    /** TimeZone.getDefault, inherited by SimpleTimeZone. */
    @SuppressWarnings("static-access")
    public static TimeZone hostTimeZone() {
        return SimpleTimeZone.getDefault();
    }
}
