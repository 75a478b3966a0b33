package org.nexusswarm.packs.admission;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.nexusswarm.safety.api.admission.BytecodeFinding;
import org.nexusswarm.safety.api.admission.PackFiles;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;

/**
 * The shape every pack payload record must have, because the serializer runs some of its code outside any
 * budget: Kryo encodes a record by calling its accessors and decodes one by calling its canonical constructor, on
 * the thread of a supervisor or of Artery. So, for each type a pack declares in
 * {@value PayloadTypeRegistrations#RESOURCE}:
 * <ul>
 *   <li>every accessor is the generated one ({@code aload 0; getfield; return});</li>
 *   <li>the canonical (or compact) constructor has no backward branch, no exception handler and no array
 *       allocation, instantiates nothing but the exceptions below ({@code new} initialises its class, even with
 *       no constructor call after it), reads no static field outside the JDK, and calls only {@link #ALLOWED_CALLS} (value checks such
 *       as {@code Objects.requireNonNull}, {@code List.copyOf}, {@code String.isBlank}, {@code Math.abs}, the usual
 *       exceptions; string concatenation of primitives and strings) and no pack method, itself included;</li>
 *   <li>{@code equals}, {@code hashCode} and {@code toString} are the platform-generated ones (the
 *       {@code ObjectMethods} bootstrap), or absent;</li>
 *   <li>it has no static initialiser and implements no interface but {@code SwarmMessage} (so no JDK code, such as
 *       {@code List.copyOf}, can call back into it);</li>
 *   <li>it is shipped in the pack being admitted.</li>
 * </ul>
 * A constructor built this way runs in time bounded by the size of its inputs, which the decoder bounds. Findings
 * are reported like the bytecode check's, naming the record and the method ({@code category} "payload shape").
 */
public final class PayloadShapeCheck {

    public static final String CATEGORY = "payload shape";

    private static final String RECORD = "java/lang/Record";
    private static final String SWARM_MESSAGE = "org/nexusswarm/actors/SwarmMessage";
    private static final String OBJECT_METHODS = "java/lang/runtime/ObjectMethods";
    private static final String STRING_CONCAT = "java/lang/invoke/StringConcatFactory";

    /** Owner to method names a payload constructor may call (any descriptor: these owners are JDK value types). */
    static final Map<String, Set<String>> ALLOWED_CALLS = Map.ofEntries(
            Map.entry(RECORD, Set.of("<init>")),
            Map.entry("java/lang/Object", Set.of("<init>")),
            Map.entry("java/util/Objects", Set.of("requireNonNull", "requireNonNullElse", "isNull", "nonNull",
                    "checkIndex")),
            Map.entry("java/util/List", Set.of("copyOf", "of", "size", "isEmpty")),
            Map.entry("java/util/Set", Set.of("copyOf", "of", "size", "isEmpty")),
            Map.entry("java/util/Map", Set.of("copyOf", "of", "size", "isEmpty")),
            Map.entry("java/util/Collection", Set.of("size", "isEmpty")),
            Map.entry("java/lang/String", Set.of("length", "isEmpty", "isBlank", "strip", "trim", "equals",
                    "startsWith", "endsWith", "charAt", "valueOf")),
            Map.entry("java/lang/Math", Set.of("abs", "min", "max", "floor", "ceil", "round", "rint", "signum",
                    "sqrt", "floorMod", "floorDiv", "addExact", "subtractExact", "multiplyExact", "toIntExact",
                    "negateExact")),
            Map.entry("java/lang/Double", Set.of("isNaN", "isFinite", "isInfinite", "valueOf", "doubleValue",
                    "compare")),
            Map.entry("java/lang/Float", Set.of("isNaN", "isFinite", "isInfinite", "valueOf", "floatValue",
                    "compare")),
            Map.entry("java/lang/Integer", Set.of("valueOf", "intValue", "longValue", "doubleValue", "compare")),
            Map.entry("java/lang/Long", Set.of("valueOf", "intValue", "longValue", "doubleValue", "compare")),
            Map.entry("java/lang/Short", Set.of("valueOf", "shortValue", "intValue")),
            Map.entry("java/lang/Byte", Set.of("valueOf", "byteValue", "intValue")),
            Map.entry("java/lang/Boolean", Set.of("valueOf", "booleanValue")),
            Map.entry("java/lang/IllegalArgumentException", Set.of("<init>")),
            Map.entry("java/lang/IllegalStateException", Set.of("<init>")),
            Map.entry("java/lang/NullPointerException", Set.of("<init>")));

    /** The only classes a payload constructor may instantiate: the exceptions it may throw. */
    static final Set<String> NEW_ALLOWED = Set.of("java/lang/IllegalArgumentException",
            "java/lang/IllegalStateException", "java/lang/NullPointerException");

    /** Argument types whose string conversion is JDK code: what string concatenation may take. */
    private static final Set<String> PLAIN_TYPES = Set.of("java/lang/String", "java/lang/Integer", "java/lang/Long",
            "java/lang/Double", "java/lang/Float", "java/lang/Short", "java/lang/Byte", "java/lang/Boolean",
            "java/lang/Character");

    private PayloadShapeCheck() {}

    /**
     * Checks every payload type the pack's {@value PayloadTypeRegistrations#RESOURCE} declares, reading only the
     * pack's files (nothing is loaded). A pack without the file declares no payload and has nothing to check.
     */
    public static List<BytecodeFinding> check(PackFiles files) {
        byte[] declarations = files.entries().get(PayloadTypeRegistrations.RESOURCE);
        if (declarations == null) {
            return List.of();
        }
        Properties entries = new Properties();
        try {
            entries.load(new ByteArrayInputStream(declarations));
        } catch (IOException | IllegalArgumentException e) {
            return List.of(new BytecodeFinding(PayloadTypeRegistrations.RESOURCE, "<file>", "unreadable", CATEGORY));
        }
        List<BytecodeFinding> findings = new ArrayList<>();
        for (String name : new TreeSet<>(entries.values().stream().map(v -> ((String) v).trim()).toList())) {
            byte[] bytes = files.entries().get(name.replace('.', '/') + ".class");
            if (bytes == null) {
                findings.add(new BytecodeFinding(name, "<class>", "a payload type the pack does not ship", CATEGORY));
                continue;
            }
            findings.addAll(check(name, bytes));
        }
        return List.copyOf(findings);
    }

    /** Checks one payload record's class file. */
    public static List<BytecodeFinding> check(String className, byte[] classFile) {
        Shape shape = new Shape();
        try {
            new ClassReader(classFile).accept(shape, ClassReader.SKIP_DEBUG);
        } catch (RuntimeException e) {
            return List.of(new BytecodeFinding(className, "<class>", "an unreadable class file", CATEGORY));
        }
        return shape.findings(className);
    }

    /** What one method's code does, as far as the shape rules care. */
    private static final class Code extends MethodVisitor {
        final String name;
        final String descriptor;
        final boolean isStatic;
        /** The instructions in order, as short text: what an accessor and the generated methods are compared with. */
        final List<String> instructions = new ArrayList<>();
        /** Why the code cannot be a payload constructor, in order found (empty when it can). */
        final List<String> problems = new ArrayList<>();
        private final Set<Label> seen = new HashSet<>();
        private final String owner;

        Code(String owner, String name, String descriptor, boolean isStatic) {
            super(Opcodes.ASM9);
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
            this.isStatic = isStatic;
        }

        String member() {
            return name + "(" + Type.getArgumentTypes(descriptor).length + " args)";
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
        }

        private void jumpTo(Label target) {
            if (seen.contains(target)) {
                problems.add("a backward branch (a loop)");
            }
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            instructions.add("JUMP");
            jumpTo(label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            instructions.add("SWITCH");
            jumpTo(dflt);
            for (Label l : labels) {
                jumpTo(l);
            }
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            visitTableSwitchInsn(0, 0, dflt, labels);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            problems.add("an exception handler");
        }

        @Override
        public void visitInsn(int opcode) {
            instructions.add("OP " + opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            instructions.add("INT " + opcode);
            if (opcode == Opcodes.NEWARRAY) {
                problems.add("an array allocation");
            }
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            instructions.add("VAR " + opcode + " " + varIndex);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            instructions.add("TYPE " + opcode + " " + type);
            if (opcode == Opcodes.ANEWARRAY) {
                problems.add("an array allocation");
            } else if (opcode == Opcodes.NEW && !NEW_ALLOWED.contains(type)) {
                // `new` initialises its class even when no constructor is called: a pack class's static
                // initialiser would run on the decoding thread.
                problems.add("new " + type);
            }
        }

        @Override
        public void visitMultiANewArrayInsn(String desc, int numDimensions) {
            instructions.add("MULTIANEWARRAY");
            problems.add("an array allocation");
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String fieldName, String fieldDescriptor) {
            instructions.add("FIELD " + opcode + " " + fieldOwner + "." + fieldName + ":" + fieldDescriptor);
            if ((opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) && !fieldOwner.startsWith("java/")) {
                // A static field of a pack class runs that class's static initialiser on first use.
                problems.add("static field " + fieldOwner + "." + fieldName);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor,
                boolean isInterface) {
            instructions.add("CALL " + callOwner + "." + callName + callDescriptor);
            if (callOwner.equals(owner)) {
                problems.add("its own method " + callName + callDescriptor + " (pack code)");
            } else if (!ALLOWED_CALLS.getOrDefault(callOwner, Set.of()).contains(callName)
                    || (callName.equals("valueOf") && callOwner.equals("java/lang/String")
                            && !plainArguments(callDescriptor))) {
                problems.add(callOwner + "." + callName + callDescriptor);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bootstrap,
                Object... arguments) {
            instructions.add("INDY " + bootstrap.getOwner() + "." + bootstrap.getName());
            if (!bootstrap.getOwner().equals(STRING_CONCAT) || !plainArguments(indyDescriptor)) {
                problems.add("invokedynamic " + bootstrap.getOwner() + "." + bootstrap.getName() + indyDescriptor);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            instructions.add("LDC");
            if (value instanceof Handle || value instanceof org.objectweb.asm.ConstantDynamic) {
                problems.add("a dynamic constant");
            }
        }

        private static boolean plainArguments(String methodDescriptor) {
            for (Type t : Type.getArgumentTypes(methodDescriptor)) {
                if (t.getSort() == Type.ARRAY || (t.getSort() == Type.OBJECT
                        && !PLAIN_TYPES.contains(t.getInternalName()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The parts of a class file the rules read. */
    private static final class Shape extends ClassVisitor {
        private String internalName;
        private String superName;
        private String[] interfaces = new String[0];
        private final Map<String, String> components = new LinkedHashMap<>();
        private final Map<String, Code> methods = new HashMap<>();
        private final List<Code> inOrder = new ArrayList<>();

        Shape() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            this.internalName = name;
            this.superName = superName;
            this.interfaces = interfaces == null ? new String[0] : interfaces;
        }

        @Override
        public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            components.put(name, descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            Code code = new Code(internalName, name, descriptor, (access & Opcodes.ACC_STATIC) != 0);
            methods.put(name + descriptor, code);
            inOrder.add(code);
            return code;
        }

        List<BytecodeFinding> findings(String className) {
            List<BytecodeFinding> out = new ArrayList<>();
            if (!RECORD.equals(superName)) {
                out.add(new BytecodeFinding(className, "<class>", "a payload type that is not a record", CATEGORY));
                return out;
            }
            for (String i : interfaces) {
                if (!i.equals(SWARM_MESSAGE)) {
                    out.add(new BytecodeFinding(className, "<class>", "interface " + i
                            + " (a payload record implements SwarmMessage only)", CATEGORY));
                }
            }
            if (methods.containsKey("<clinit>()V")) {
                out.add(new BytecodeFinding(className, "<clinit>", "a static initializer (runs when the payload "
                        + "type is first decoded)", CATEGORY));
            }
            StringBuilder canonical = new StringBuilder("(");
            components.forEach((name, descriptor) -> {
                canonical.append(descriptor);
                Code accessor = methods.get(name + "()" + descriptor);
                if (accessor == null || accessor.isStatic) {
                    out.add(new BytecodeFinding(className, name + "()", "no accessor", CATEGORY));
                } else if (!isGeneratedAccessor(accessor, name, descriptor)) {
                    out.add(new BytecodeFinding(className, name + "()", "code other than the generated accessor "
                            + "(load this, getfield " + name + ", return)", CATEGORY));
                }
            });
            String constructor = "<init>" + canonical + ")V";
            Code init = methods.get(constructor);
            if (init == null) {
                out.add(new BytecodeFinding(className, "<init>", "no canonical constructor", CATEGORY));
            } else {
                for (String problem : new java.util.LinkedHashSet<>(init.problems)) {
                    out.add(new BytecodeFinding(className, "<init>(canonical)", problem
                            + " in the canonical constructor", CATEGORY));
                }
            }
            checkObjectMethod(className, "equals(Ljava/lang/Object;)Z", out);
            checkObjectMethod(className, "hashCode()I", out);
            checkObjectMethod(className, "toString()Ljava/lang/String;", out);
            return out;
        }

        private boolean isGeneratedAccessor(Code accessor, String name, String descriptor) {
            Type type = Type.getType(descriptor);
            List<String> expected = List.of("VAR " + Opcodes.ALOAD + " 0",
                    "FIELD " + Opcodes.GETFIELD + " " + internalName + "." + name + ":" + descriptor,
                    "OP " + type.getOpcode(Opcodes.IRETURN));
            return accessor.instructions.equals(expected);
        }

        private void checkObjectMethod(String className, String method, List<BytecodeFinding> out) {
            Code code = methods.get(method);
            if (code == null) {
                return;
            }
            boolean generated = true;
            int indys = 0;
            for (String insn : code.instructions) {
                if (insn.equals("INDY " + OBJECT_METHODS + ".bootstrap")) {
                    indys++;
                } else if (!insn.startsWith("VAR ") && !insn.startsWith("OP ")) {
                    generated = false;
                }
            }
            if (!generated || indys != 1) {
                out.add(new BytecodeFinding(className, method.substring(0, method.indexOf('(')) + "()",
                        "an explicit " + method.substring(0, method.indexOf('(')) + " (only the generated one may "
                                + "run during serialization)", CATEGORY));
            }
        }
    }
}
