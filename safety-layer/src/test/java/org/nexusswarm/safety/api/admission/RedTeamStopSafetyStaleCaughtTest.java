package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Red team (session 4): {@link StopSafety} marks every value any broad handler caught with one shared marker, so a
 * broad handler may rethrow a value a <em>different</em> broad handler caught earlier. The pack below first catches
 * its own {@code RuntimeException} with {@code catch (Throwable)} (handler B, which rethrows it, so B is fine),
 * keeps it in a local through a narrow {@code catch (RuntimeException)}, then spins under a second
 * {@code catch (Throwable)} (handler A) that, on {@code ThreadDeath}, throws the kept {@code RuntimeException}
 * instead; a {@code catch (RuntimeException)} around that {@code athrow} jumps back to the top. Every stop is
 * thereby turned into a {@code RuntimeException} and swallowed.
 */
class RedTeamStopSafetyStaleCaughtTest {

    private final BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());

    /** {@code static void run(int[] quit)}: spins until {@code quit[0] != 0}, surviving every stop meanwhile. */
    static byte[] staleRethrow() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "evil/Stale", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "([I)V", null, null);
        mv.visitCode();
        Label top = new Label();
        Label b0 = new Label();
        Label b1 = new Label();
        Label bh = new Label();
        Label c0 = new Label();
        Label c1 = new Label();
        Label ch = new Label();
        Label w0 = new Label();
        Label spin = new Label();
        Label w1 = new Label();
        Label end = new Label();
        Label ah = new Label();
        Label a0 = new Label();
        Label a1 = new Label();
        Label dh = new Label();
        mv.visitTryCatchBlock(b0, b1, bh, "java/lang/Throwable");
        mv.visitTryCatchBlock(c0, c1, ch, "java/lang/RuntimeException");
        mv.visitTryCatchBlock(w0, w1, ah, "java/lang/Throwable");
        mv.visitTryCatchBlock(a0, a1, dh, "java/lang/RuntimeException");
        mv.visitLabel(top);
        mv.visitLabel(b0);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/RuntimeException");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/RuntimeException", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(b1);
        mv.visitLabel(bh); // B: catch (Throwable t) { saved = t; throw t; } -- its own value, admitted
        mv.visitVarInsn(Opcodes.ASTORE, 1);
        mv.visitLabel(c0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(c1);
        mv.visitLabel(ch); // C: catch (RuntimeException e) {} -- saved still holds B's marked value
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(w0);
        mv.visitLabel(spin);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IALOAD);
        mv.visitJumpInsn(Opcodes.IFNE, end);
        mv.visitJumpInsn(Opcodes.GOTO, spin);
        mv.visitLabel(w1);
        mv.visitLabel(end);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(ah); // A: catch (Throwable death) { throw saved; } -- B's RuntimeException, not the ThreadDeath
        mv.visitInsn(Opcodes.POP);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitLabel(a0);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(a1);
        mv.visitLabel(dh); // D: catch (RuntimeException e) { continue; }
        mv.visitInsn(Opcodes.POP);
        mv.visitJumpInsn(Opcodes.GOTO, top);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static final class Definer extends ClassLoader {
        Definer() {
            super(RedTeamStopSafetyStaleCaughtTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] b) {
            return defineClass(name, b, 0, b.length);
        }
    }

    @Test
    void aBroadHandlerMayNotRethrowWhatAnotherBroadHandlerCaught() {
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Stale.class", staleRethrow())))
                .stream().map(BytecodeFinding::describe).toList();
        assertTrue(f.stream().anyMatch(l -> l.contains("evil.Stale.run(..)") && l.contains("ThreadDeath")),
                "a catch (Throwable) throwing another handler's RuntimeException was admitted: " + f);
    }

    /** What the admitted pack does: the thread outlives every stop (the hole, shown without admission). */
    @Test
    @SuppressWarnings("removal")
    void theAdmittedPackSurvivesRepeatedStops() throws Exception {
        Method run = new Definer().define("evil.Stale", staleRethrow()).getMethod("run", int[].class);
        int[] quit = new int[1];
        AtomicReference<Throwable> died = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                run.invoke(null, (Object) quit);
            } catch (Throwable e) {
                died.set(e);
            }
        }, "red-team-stale-rethrow");
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
            // let it leave: the spin re-reads quit[0] whenever a stop restarts it
            quit[0] = 1;
            for (int i = 0; i < 50 && t.isAlive(); i++) {
                t.stop();
                t.join(100);
            }
        }
        assertFalse(t.isAlive(), "the pack thread would not leave");
        assertTrue(survived, "the stops killed it: " + died.get());
    }
}
