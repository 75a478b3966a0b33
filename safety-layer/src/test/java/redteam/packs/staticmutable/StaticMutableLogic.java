package redteam.packs.staticmutable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Red team: static finals that every entity of the pack shares, each holding something that can still change, so
 * one entity writes and another reads (no envelope, no journal, and a replay cannot reproduce it).
 */
public final class StaticMutableLogic {

    /** A pack class with a non-final field. */
    static final class Box {
        int value;
    }

    /** A record whose component is whatever list its caller passed. */
    record Holder(List<String> items) { }

    /** Every field final, but one holds a mutable pack object. */
    static final class Deep {
        final Box box = new Box();
    }

    static final class Helper {
        static List<String> make() {
            return new ArrayList<>();
        }
    }

    /** An enum constant is one object every entity shares. */
    enum Counter {
        ONE;
        int count;
    }

    enum Tagged {
        A(new ArrayList<>());

        final List<String> tags;

        Tagged(List<String> tags) {
            this.tags = tags;
        }
    }

    static final Box BOX = new Box();
    static final Holder HOLDER = new Holder(new ArrayList<>());
    static final Deep DEEP = new Deep();
    static final List<String> MADE = Helper.make();
    static final Supplier<List<String>> CAPTURED;
    static final RuntimeException ERROR = new RuntimeException("shared");

    static {
        List<String> list = new ArrayList<>();
        CAPTURED = () -> list;
    }

    public static void leak(String s) {
        BOX.value++;
        HOLDER.items().add(s);
        DEEP.box.value++;
        MADE.add(s);
        CAPTURED.get().add(s);
        ERROR.addSuppressed(new IllegalStateException(s));
        Counter.ONE.count++;
        Tagged.A.tags.add(s);
    }

    public static int read() {
        return BOX.value + HOLDER.items().size() + DEEP.box.value + MADE.size() + CAPTURED.get().size()
                + ERROR.getSuppressed().length + Counter.ONE.count + Tagged.A.tags.size();
    }
}
