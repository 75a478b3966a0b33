package org.nexusswarm.packs.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nexusswarm.safety.api.admission.BytecodeFinding;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Red team (session 3b): {@link PayloadShapeCheck} vets the calls, field reads and array allocations of a payload's
 * canonical constructor, but not a bare {@code new} (no call to the constructor: {@code new Trigger; pop} is
 * valid bytecode). Executing {@code new} initialises the class, so the decoder runs the static initialiser of any
 * pack class the payload names, on a supervisor's or Artery's thread, outside any budget: a
 * {@code static { for (;;) {} }} there wedges the node's inbound stream. The shape check passes such a record, and
 * Kryo decoding it runs the pack initialiser. Fixed: the shape check refuses {@code new} of anything but the
 * exceptions a constructor may throw. The decode half of this test still shows why (it decodes a record the check
 * refuses, outside any pack admission).
 */
public class RedTeamPayloadClassInitTest {

    private static final String PKG = "redteam/payloads3/";
    private static final String TRIGGER = PKG + "Trigger";
    private static final String SNEAKY = PKG + "Sneaky";
    private static final AtomicInteger FIRED = new AtomicInteger();

    /** Called by the pack class's static initialiser: stands for whatever it would do (loop, allocate). */
    public static void fired() {
        FIRED.incrementAndGet();
    }

    /** A pack helper whose static initialiser is the payload's real code. */
    private static byte[] trigger() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, TRIGGER, null,
                "java/lang/Object", null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PRIVATE, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitMethodInsn(Opcodes.INVOKESTATIC, "org/nexusswarm/packs/admission/RedTeamPayloadClassInitTest",
                "fired", "()V", false);
        clinit.visitInsn(Opcodes.RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code record Sneaky(int value) implements SwarmMessage}, whose constructor also does {@code new Trigger}. */
    private static byte[] sneaky() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_RECORD,
                SNEAKY, null, "java/lang/Record", new String[] {"org/nexusswarm/actors/SwarmMessage"});
        cw.visitRecordComponent("value", "I", null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "value", "I", null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(I)V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Record", "<init>", "()V", false);
        init.visitTypeInsn(Opcodes.NEW, TRIGGER); // initialises Trigger: its <clinit> runs
        init.visitInsn(Opcodes.POP);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ILOAD, 1);
        init.visitFieldInsn(Opcodes.PUTFIELD, SNEAKY, "value", "I");
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor accessor = cw.visitMethod(Opcodes.ACC_PUBLIC, "value", "()I", null, null);
        accessor.visitCode();
        accessor.visitVarInsn(Opcodes.ALOAD, 0);
        accessor.visitFieldInsn(Opcodes.GETFIELD, SNEAKY, "value", "I");
        accessor.visitInsn(Opcodes.IRETURN);
        accessor.visitMaxs(0, 0);
        accessor.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static final class PackLoader extends ClassLoader {
        PackLoader() {
            super(RedTeamPayloadClassInitTest.class.getClassLoader());
            defineClass(TRIGGER.replace('/', '.'), trigger(), 0, trigger().length);
            defineClass(SNEAKY.replace('/', '.'), sneaky(), 0, sneaky().length);
        }
    }

    private static Kryo kryo(Class<?> payload) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.register(payload, 700);
        return kryo;
    }

    @Test
    void aPayloadThatInitialisesAPackClassOnDecodeIsRefused() throws Exception {
        // The decode side first. A sender (its own class loader, standing for another node) encodes a Sneaky...
        Class<?> sent = Class.forName(SNEAKY.replace('/', '.'), false, new PackLoader());
        Output out = new Output(64);
        kryo(sent).writeClassAndObject(out, sent.getConstructor(int.class).newInstance(7));
        assertEquals(1, FIRED.get(), "constructing it on the sender ran the sender's pack initialiser");
        // ...and the receiver, which has never used the pack's classes, only decodes it.
        Class<?> received = Class.forName(SNEAKY.replace('/', '.'), false, new PackLoader());
        Object decoded = kryo(received).readClassAndObject(new Input(out.toBytes()));
        assertEquals(7, received.getMethod("value").invoke(decoded));
        assertEquals(2, FIRED.get(), "decoding ran the receiver's pack initialiser");

        List<BytecodeFinding> findings = PayloadShapeCheck.check(SNEAKY.replace('/', '.'), sneaky());
        assertTrue(findings.stream().anyMatch(f -> f.describe().contains("new " + TRIGGER)), findings.toString());
        assertFalse(findings.isEmpty(), "the shape check passed a payload whose constructor initialises "
                + TRIGGER + " (its static initialiser ran " + FIRED.get() + " time(s) in this test)");
    }
}
