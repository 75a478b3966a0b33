package org.nexusswarm.safety.api.admission;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The watchdog stops a runaway step with {@code Thread.stop}, which throws {@code ThreadDeath} wherever the step is.
 * A handler that can catch it ({@code catch (Throwable)}, {@code catch (Error)}, {@code catch (ThreadDeath)}, and
 * the catch-any handler javac writes for {@code finally} and {@code synchronized}) could keep the thread running
 * forever, so such a handler must give the {@code ThreadDeath} back unchanged:
 * <ul>
 *   <li>every path from the handler ends in {@code athrow} of the value this handler caught (tracked through
 *       locals with ASM's data-flow analyzer), never in a return and never by jumping backwards (into a loop), and
 *       no instruction on it is covered by a handler placed at or before it (a loop through exceptions);</li>
 *   <li>nothing on the way can throw something else instead: no calls, no field or array access, no division, no
 *       allocation or cast, no {@code monitorexit}; only locals, constants, arithmetic and forward branches.</li>
 * </ul>
 * A narrower handler ({@code catch (Exception)}) cannot catch {@code ThreadDeath}, and under these rules a broad
 * handler cannot turn it into an exception one could. {@code finally} blocks that only reset locals pass;
 * try-with-resources (its handler calls {@code close}) and {@code synchronized} blocks (a crafted
 * {@code monitorexit} can throw) do not: a pack has no resource to close and no thread to lock against.
 */
final class StopSafety {

    private StopSafety() {
    }

    static final String CATEGORY = "a handler that can catch ThreadDeath (catch Throwable/Error, finally, "
            + "synchronized) must rethrow it unchanged: no call, loop, return or other throw on the way";

    private static final Set<String> BROAD = Set.of("java/lang/Throwable", "java/lang/Error",
            "java/lang/ThreadDeath");

    /**
     * Marks the value one broad handler (one handler label) caught; identity-equal only, so merging it with anything
     * else, including what another handler caught, loses it. One marker for all handlers let a handler rethrow a
     * {@code RuntimeException} an earlier handler caught and kept in a local, in place of the {@code ThreadDeath}.
     */
    private static final class Caught extends BasicValue {
        Caught() {
            super(Type.getObjectType("java/lang/Object"));
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    static boolean broad(TryCatchBlockNode tcb) {
        return tcb.type == null || BROAD.contains(tcb.type);
    }

    /** One problem per method of {@code owner} that has a broad handler breaking the rules, if any. */
    static Optional<String> problem(String owner, MethodNode m) {
        if (m.tryCatchBlocks == null || m.tryCatchBlocks.stream().noneMatch(StopSafety::broad)) {
            return Optional.empty();
        }
        Map<LabelNode, Caught> caught = new HashMap<>();
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter(Opcodes.ASM9) {
                @Override
                public BasicValue newExceptionValue(TryCatchBlockNode tcb, Frame<BasicValue> handlerFrame,
                                                    Type exceptionType) {
                    return broad(tcb) ? caught.computeIfAbsent(tcb.handler, h -> new Caught()) : super.newExceptionValue(tcb, handlerFrame, exceptionType);
                }
            }).analyze(owner, m);
        } catch (AnalyzerException e) {
            return Optional.of("unverifiable handler code (" + e.getMessage() + ")");
        }
        InsnList code = m.instructions;
        for (TryCatchBlockNode tcb : m.tryCatchBlocks) {
            if (!broad(tcb)) {
                continue;
            }
            Optional<String> p = walk(code, frames, m.tryCatchBlocks, code.indexOf(tcb.handler), caught.get(tcb.handler),
                    tcb.type == null ? "finally/any" : Type.getObjectType(tcb.type).getClassName());
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /** Follows every normal path from the handler at {@code start}; the first rule broken, if any. */
    private static Optional<String> walk(InsnList code, Frame<BasicValue>[] frames, List<TryCatchBlockNode> handlers,
                                         int start, Caught own, String kind) {
        BitSet seen = new BitSet();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(start);
        while (!todo.isEmpty()) {
            int i = todo.pop();
            if (seen.get(i)) {
                continue;
            }
            seen.set(i);
            AbstractInsnNode insn = code.get(i);
            if (frames[i] == null) {
                continue; // unreachable code
            }
            for (TryCatchBlockNode other : handlers) {
                // An exception edge back (a handler covering itself) loops as surely as a jump; javac writes one
                // only over a finally handler's first store, which cannot loop.
                if (code.indexOf(other.start) <= i && i < code.indexOf(other.end) && code.indexOf(other.handler) <= i
                        && !javacEntryStore(code, other)) {
                    return Optional.of("the " + kind + " handler is covered by a handler at or before it (a loop "
                            + "through exceptions)");
                }
            }
            int op = insn.getOpcode();
            List<Integer> next = new ArrayList<>();
            if (op == Opcodes.ATHROW) {
                Frame<BasicValue> f = frames[i];
                if (f.getStack(f.getStackSize() - 1) != own) {
                    return Optional.of("the " + kind + " handler throws something other than what it caught");
                }
                continue;
            }
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                return Optional.of("the " + kind + " handler returns instead of rethrowing");
            }
            if (insn instanceof JumpInsnNode j) {
                next.add(code.indexOf(j.label));
                if (op != Opcodes.GOTO) {
                    next.add(i + 1);
                }
            } else if (insn instanceof TableSwitchInsnNode s) {
                next.add(code.indexOf(s.dflt));
                s.labels.forEach(l -> next.add(code.indexOf(l)));
            } else if (insn instanceof LookupSwitchInsnNode s) {
                next.add(code.indexOf(s.dflt));
                s.labels.forEach(l -> next.add(code.indexOf(l)));
            } else if (op < 0 || cannotThrow(insn)) {
                next.add(i + 1); // labels, line numbers, frames, and plain instructions
            } else {
                return Optional.of("the " + kind + " handler runs " + describe(insn)
                        + ", which can throw something else in place of ThreadDeath");
            }
            for (int n : next) {
                if (n <= i) {
                    return Optional.of("the " + kind + " handler jumps back (a loop)");
                }
                if (n < code.size()) {
                    todo.push(n);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * javac's own self-covering entry ({@code finally}: handler H is covered, from H up to its {@code astore} of
     * the caught value, by a range that may start earlier): a stop landing on the store re-enters the handler once
     * per stop, and the store cannot loop.
     */
    private static boolean javacEntryStore(InsnList code, TryCatchBlockNode tcb) {
        // try/catch/finally: javac's catch-any range runs from the catch block into the finally handler's store
        // (13..19 -> 18), so only the part of the range at and after the handler has to be that one store.
        int handler = code.indexOf(tcb.handler);
        if (code.indexOf(tcb.start) > handler) {
            return false;
        }
        int stores = 0;
        for (int i = handler; i < code.indexOf(tcb.end); i++) {
            int op = code.get(i).getOpcode();
            if (op == Opcodes.ASTORE) {
                stores++;
            } else if (op >= 0) {
                return false;
            }
        }
        return stores == 1;
    }

    private static boolean cannotThrow(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        if (op == Opcodes.LDC) {
            Object c = ((LdcInsnNode) insn).cst;
            return c instanceof String || c instanceof Number;
        }
        return op == Opcodes.NOP
                || op >= Opcodes.ACONST_NULL && op <= Opcodes.SIPUSH
                || op >= Opcodes.ILOAD && op <= Opcodes.ALOAD
                || op >= Opcodes.ISTORE && op <= Opcodes.ASTORE
                || op >= Opcodes.POP && op <= Opcodes.SWAP
                || op >= Opcodes.IADD && op <= Opcodes.DMUL
                || op >= Opcodes.INEG && op <= Opcodes.LXOR
                || op == Opcodes.FDIV || op == Opcodes.DDIV || op == Opcodes.FREM || op == Opcodes.DREM
                || op >= Opcodes.IINC && op <= Opcodes.DCMPG;
    }

    private static String describe(AbstractInsnNode insn) {
        String[] names = {"a call", "a field access", "an allocation", "an array access", "a division",
            "a cast or type check", "an instruction"};
        int op = insn.getOpcode();
        if (op >= Opcodes.INVOKEVIRTUAL && op <= Opcodes.INVOKEDYNAMIC) {
            return names[0];
        }
        if (op >= Opcodes.GETSTATIC && op <= Opcodes.PUTFIELD) {
            return names[1];
        }
        if (op == Opcodes.NEW || op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY) {
            return names[2];
        }
        if (op >= Opcodes.IALOAD && op <= Opcodes.SALOAD || op >= Opcodes.IASTORE && op <= Opcodes.SASTORE
                || op == Opcodes.ARRAYLENGTH) {
            return names[3];
        }
        if (op == Opcodes.IDIV || op == Opcodes.LDIV || op == Opcodes.IREM || op == Opcodes.LREM) {
            return names[4];
        }
        if (op == Opcodes.CHECKCAST || op == Opcodes.INSTANCEOF) {
            return names[5];
        }
        return names[6] + " (opcode " + op + ")";
    }
}
