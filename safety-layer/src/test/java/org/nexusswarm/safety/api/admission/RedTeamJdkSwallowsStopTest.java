package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redteam.packs.onclose.OnCloseLogic;

/**
 * Red team (session 4): StopSafety only reads the pack's own handlers, but allowed JDK code has broad handlers of
 * its own. {@code Stream.onClose} actions are composed by {@code java.util.stream.Streams.composeWithExceptions}:
 * {@code try { a.run(); } catch (Throwable e1) { try { b.run(); } catch (Throwable e2) { e1.addSuppressed(e2); }
 * throw e1; }}. A pack with N spinning actions survives N stops ({@link OnCloseLogic}); admission now refuses
 * {@code onClose}.
 */
class RedTeamJdkSwallowsStopTest {

    private final BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());

    @Test
    void aPackMayNotHandItsLoopToJdkCodeThatSwallowsThreadDeath() {
        PackFiles files = PackFiles.locate(getClass().getClassLoader(), "redteam.packs.onclose.OnCloseLogic",
                List.of());
        assertFalse(files.entries().isEmpty());
        List<String> f = admission.check(files).stream().map(BytecodeFinding::describe).toList();
        assertTrue(f.stream().anyMatch(l -> l.contains("OnCloseLogic.spin(..)") && l.contains("onClose")),
                "onClose actions that outlive stops were admitted: " + f);
    }

    /** Why the rule: run anyway, the code outlives repeated stops. */
    @Test
    @SuppressWarnings("removal")
    void theAdmittedPackSurvivesRepeatedStops() throws Exception {
        int[] quit = new int[1];
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                OnCloseLogic.spin(quit, 100);
            } catch (Throwable e) {
                died.set(e);
            }
        }, "red-team-onclose");
        t.setDaemon(true);
        t.start();
        boolean survived;
        try {
            for (int i = 0; i < 8; i++) {
                t.join(i == 0 ? 300 : 50);
                t.stop();
            }
            t.join(200);
            survived = t.isAlive();
        } finally {
            // the JIT may hoist the read of quit[0]; a stop moves the thread to the next action, which reads it again
            quit[0] = 1;
            for (int i = 0; i < 200 && t.isAlive(); i++) {
                t.stop();
                t.join(50);
            }
        }
        assertFalse(t.isAlive(), "the pack thread would not leave");
        assertTrue(survived, "the stops killed it: " + died.get());
    }
}
