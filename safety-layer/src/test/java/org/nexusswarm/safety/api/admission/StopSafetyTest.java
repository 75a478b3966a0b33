package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Which handlers that can catch {@code ThreadDeath} admission lets through ({@link StopSafety}). */
class StopSafetyTest {

    private final BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());

    private List<BytecodeFinding> findings() {
        PackFiles files = PackFiles.locate(getClass().getClassLoader(), "redteam.packs.handlers.Handlers",
                List.of());
        return admission.check(files);
    }

    @Test
    void exactlyTheHandlersThatCanKeepAStoppedThreadAreRefused() {
        Set<String> refused = new TreeSet<>();
        for (BytecodeFinding f : findings()) {
            if (f.category().equals(StopSafety.CATEGORY)) {
                refused.add(f.member().replace("(..)", ""));
            }
        }
        assertEquals(new TreeSet<>(Set.of("catchThrowableReturns", "catchErrorLoops", "catchThreadDeathSwallows",
                "catchThrowableThrowsOther", "finallyCallsMethod", "finallyDivides", "finallyReadsArray",
                "catchThrowableRethrowsAnotherLocal", "tryWithResources", "synchronizedBlock")), refused);
    }

    @Test
    void theFindingSaysWhatTheHandlerDoesWrong() {
        List<String> lines = findings().stream().map(BytecodeFinding::describe).toList();
        assertTrue(lines.stream().anyMatch(l -> l.contains("catchThrowableReturns(..)") && l.contains("returns")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("catchErrorLoops(..)") && l.contains("jumps back")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("finallyCallsMethod(..)") && l.contains("a call")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("catchThrowableThrowsOther(..)")), lines.toString());
    }

    /** Hand-written bytecode javac never emits: {@code H: astore 1; aload 1; athrow} with H covering itself. */
    @Test
    void aHandlerThatCoversItselfLoopsThroughExceptionsAndIsRefused() {
        MethodNode m = new MethodNode(Opcodes.ACC_STATIC, "selfCovering", "()V", null, null);
        LabelNode tryStart = new LabelNode();
        LabelNode tryEnd = new LabelNode();
        LabelNode handler = new LabelNode();
        LabelNode handlerEnd = new LabelNode();
        m.instructions.add(tryStart);
        m.instructions.add(new InsnNode(Opcodes.NOP));
        m.instructions.add(tryEnd);
        m.instructions.add(new InsnNode(Opcodes.RETURN));
        m.instructions.add(handler);
        m.instructions.add(new VarInsnNode(Opcodes.ASTORE, 0));
        m.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        m.instructions.add(new InsnNode(Opcodes.ATHROW));
        m.instructions.add(handlerEnd);
        m.tryCatchBlocks.add(new TryCatchBlockNode(tryStart, tryEnd, handler, null));
        m.maxLocals = 1;
        m.maxStack = 1;
        assertEquals(Optional.empty(), StopSafety.problem("x/Y", m), "the plain rethrow is fine");

        // javac's own shape: the handler covers just its first store (a stop there re-enters it once)
        LabelNode afterStore = new LabelNode();
        m.instructions.insert(m.instructions.get(m.instructions.indexOf(handler) + 1), afterStore);
        TryCatchBlockNode javacs = new TryCatchBlockNode(handler, afterStore, handler, null);
        m.tryCatchBlocks.add(javacs);
        assertEquals(Optional.empty(), StopSafety.problem("x/Y", m), "javac's self-covering store is fine");

        m.tryCatchBlocks.remove(javacs);
        m.tryCatchBlocks.add(new TryCatchBlockNode(handler, handlerEnd, handler, "java/lang/Throwable"));
        Optional<String> p = StopSafety.problem("x/Y", m);
        assertTrue(p.isPresent() && p.get().contains("loop through exceptions"), p.toString());
    }
}
