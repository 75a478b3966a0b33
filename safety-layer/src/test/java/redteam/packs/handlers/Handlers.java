package redteam.packs.handlers;

/**
 * One method per shape of handler that can catch {@code ThreadDeath}: the {@code ok*} ones give it back unchanged,
 * every other one could keep a stopped thread running (or turn the stop into an exception a narrower handler
 * swallows). {@code StopSafetyTest} expects a finding exactly for the non-{@code ok} methods.
 */
public final class Handlers {

    private Handlers() {
    }

    static long okFinallyResetsLocals(long x) {
        long y = 0;
        try {
            while (x > 0) {
                x = (x * 3 + 1) & 0xff;
            }
        } finally {
            y = x + 1;
        }
        return y;
    }

    static long okCatchThrowableRethrows(long x) throws Throwable {
        try {
            return x / (x - 1);
        } catch (Throwable t) {
            x = 0;
            throw t;
        }
    }

    static long okNarrowCatchInLoop(long x) {
        for (;;) {
            try {
                return Long.parseLong("" + x);
            } catch (RuntimeException e) {
                x++;
            }
        }
    }

    static long okNestedFinally(long x) {
        try {
            try {
                x = x * 2;
            } finally {
                x = x + 1;
            }
        } finally {
            x = x - 1;
        }
        return x;
    }

    /** Session 4: one marker per handler must not refuse javac's usual shapes of nested and combined handlers. */
    static long okCatchThrowableThenFinally(long x) throws Throwable {
        try {
            x = x * 3;
        } catch (Throwable t) {
            x = 0;
            throw t;
        } finally {
            x = x + 1;
        }
        return x;
    }

    /** javac covers the catch block and the finally handler's first store with one range (refused before). */
    static long okNarrowCatchThenFinally(long x) {
        try {
            x = x * 3;
        } catch (RuntimeException e) {
            x = 0;
        } finally {
            x = x + 1;
        }
        return x;
    }

    static long okFinallyInsideFinally(long x) {
        try {
            x = x * 3;
        } finally {
            try {
                x = x - 1;
            } finally {
                x = x + 2;
            }
        }
        return x;
    }

    static long okRethrowThroughACopy(long x) throws Throwable {
        try {
            x = x * 5;
        } catch (Throwable t) {
            Throwable same = t;
            throw x > 3 ? same : t;
        }
        return x;
    }

    static long catchThrowableReturns(long x) {
        try {
            return x / (x - 1);
        } catch (Throwable t) {
            return -1;
        }
    }

    static long catchErrorLoops(long x) {
        for (;;) {
            try {
                x = x * 2 + 1;
                if (x == 7) {
                    return x;
                }
            } catch (Error e) {
                x = 0;
            }
        }
    }

    static long catchThreadDeathSwallows(long x) {
        try {
            x = x * 2;
        } catch (ThreadDeath d) {
            x = 0;
        }
        return x;
    }

    static long catchThrowableThrowsOther(long x) {
        try {
            return x * 2;
        } catch (Throwable t) {
            throw new IllegalStateException("converted");
        }
    }

    static long finallyCallsMethod(long x) {
        try {
            x = x * 2;
        } finally {
            x = Long.parseLong("12");
        }
        return x;
    }

    static long finallyDivides(long x, long d) {
        try {
            x = x * 2;
        } finally {
            x = x / d;
        }
        return x;
    }

    static long finallyReadsArray(long[] a) {
        long x = 0;
        try {
            x = a.length;
        } finally {
            x = a[0];
        }
        return x;
    }

    static long catchThrowableRethrowsAnotherLocal(long x) throws Throwable {
        Throwable other = new IllegalStateException();
        try {
            return x * 2;
        } catch (Throwable t) {
            throw other;
        }
    }

    static int tryWithResources(AutoCloseable c) throws Exception {
        try (c) {
            return 1;
        }
    }

    static int synchronizedBlock(Object lock, int x) {
        synchronized (lock) {
            return x + 1;
        }
    }
}
