package redteam.packs.methodref;

import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/** Red team: hides the forbidden call behind a method reference (invokedynamic, no invoke instruction). */
public final class MethodRefLogic {
    public IntConsumer step() {
        return System::exit;
    }

    public LongSupplier clock() {
        return System::nanoTime;
    }
}
