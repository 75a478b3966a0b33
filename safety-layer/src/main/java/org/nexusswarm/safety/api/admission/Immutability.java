package org.nexusswarm.safety.api.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Decides whether what a static final field holds can change after the class is initialised: such a field is
 * state every entity of a pack shares in one JVM, a channel no envelope, journal or provenance rule sees and a
 * replay cannot reproduce.
 *
 * <p>The rule is positive. A type is immutable when it is a primitive, {@code String}, a boxed primitive,
 * {@code BigInteger}/{@code BigDecimal}, a {@code java.time} value type, {@code Pattern}, {@code UUID},
 * {@code Locale}, {@code Class}, a JDK enum, or a class of the pack (or of the agent API) whose instance fields
 * are all final and hold immutable values, whose superclass is Object, Record, Enum or such a class, and whose
 * pack subclasses are immutable too (recursively; a cycle counts as immutable). A field of another type (a
 * {@code List}/{@code Set}/{@code Map}, an interface, {@code Object}) is accepted only by where its value comes
 * from, traced through the initialiser's (or constructor's) frames with asm-analysis: {@code List.of},
 * {@code Set.of}, {@code Map.of}, {@code copyOf}, {@code Map.entry}, {@code Collections.unmodifiable*}/
 * {@code empty*}/{@code singleton*} or {@code Stream.toList()} with element types (from the generic signature)
 * that are immutable; a lambda whose captured values are immutable; {@code Optional}, {@code Comparator} and
 * {@code java.util.function} combinators over such values; a string or class constant, {@code null}, or another
 * static final. Anything else, e.g. a helper's return value of type {@code List}, is refused.
 *
 * <p>Caveat: an unmodifiable view ({@code Collections.unmodifiableList(x)}) is accepted because the view's
 * backing collection is reachable only through {@code x}, which a static field cannot hold unless it is itself
 * checked here.
 */
final class Immutability {

    private static final Set<String> IMMUTABLE_JDK = Set.of("java/lang/String", "java/lang/Boolean",
            "java/lang/Byte", "java/lang/Short", "java/lang/Character", "java/lang/Integer", "java/lang/Long",
            "java/lang/Float", "java/lang/Double", "java/lang/Void", "java/lang/Class", "java/math/BigInteger",
            "java/math/BigDecimal", "java/time/Duration", "java/time/Instant", "java/time/LocalDate",
            "java/time/LocalDateTime", "java/time/LocalTime", "java/time/MonthDay", "java/time/OffsetDateTime",
            "java/time/OffsetTime", "java/time/Period", "java/time/Year", "java/time/YearMonth",
            "java/time/ZonedDateTime", "java/time/ZoneId", "java/time/ZoneOffset",
            "java/time/format/DateTimeFormatter", "java/util/regex/Pattern", "java/util/UUID", "java/util/Locale");

    /** Interfaces whose value is judged by its origin and its element types. */
    private static final Set<String> COLLECTIONS = Set.of("java/util/List", "java/util/Set", "java/util/Map",
            "java/util/Collection", "java/util/Map$Entry");

    /** Immutable collections whose elements are the call's arguments: traced one by one (varargs too). */
    private static final Set<String> ELEMENT_FACTORIES = Set.of("java/util/List.of", "java/util/Set.of",
            "java/util/Map.of", "java/util/Map.ofEntries", "java/util/Map.entry");

    /** Immutable collections of elements made elsewhere: judged by the element types the field declares. */
    private static final Set<String> COPY_FACTORIES = Set.of("java/util/List.copyOf", "java/util/Set.copyOf",
            "java/util/Map.copyOf", "java/util/stream/Stream.toList");

    /** Calls whose result is immutable when their receiver and arguments are. */
    private static final Set<String> COMBINATOR_OWNERS = Set.of("java/util/Optional", "java/util/Comparator",
            "java/util/Map$Entry", "java/util/Objects");

    private final ClassHierarchy hierarchy;
    private final Map<String, Optional<String>> classVerdicts = new HashMap<>();
    private final Set<String> visiting = new HashSet<>();
    private final Map<MethodNode, Frame<SourceValue>[]> frames = new HashMap<>();

    Immutability(ClassHierarchy hierarchy) {
        this.hierarchy = hierarchy;
    }

    /** A generic type use: a class with its type arguments; a null name is a type variable or {@code ?}. */
    record TypeUse(String name, List<TypeUse> args, boolean array) {
        static TypeUse of(String desc, String signature) {
            if (signature != null) {
                try {
                    return new SignatureParser(signature).type();
                } catch (RuntimeException e) {
                    // fall back to the erased descriptor
                }
            }
            Type t = Type.getType(desc);
            if (t.getSort() == Type.ARRAY) {
                return new TypeUse(null, List.of(), true);
            }
            return new TypeUse(t.getSort() == Type.OBJECT ? t.getInternalName() : t.getDescriptor(), List.of(), false);
        }
    }

    /**
     * Why the values {@code field} of {@code owner} can be assigned in {@code initializers} (the class
     * initialiser for a static field, the constructors for an instance field) may change, or empty when they
     * cannot. The answer is a noun phrase: "a HashMap", "what Helper.make() returns (a List)".
     */
    Optional<String> fieldProblem(String owner, FieldNode field, List<MethodNode> initializers) {
        if (isPrimitive(field.desc)) {
            return Optional.empty();
        }
        TypeUse use = TypeUse.of(field.desc, field.signature);
        Optional<String> byType = typeProblem(use);
        if (byType.isEmpty()) {
            return byType;
        }
        boolean isStatic = (field.access & Opcodes.ACC_STATIC) != 0;
        int put = isStatic ? Opcodes.PUTSTATIC : Opcodes.PUTFIELD;
        for (MethodNode m : initializers) {
            Frame<SourceValue>[] f = frames(owner, m);
            if (f == null) {
                return Optional.of("a value that cannot be traced (" + m.name + " does not verify)");
            }
            for (int i = 0; i < m.instructions.size(); i++) {
                AbstractInsnNode insn = m.instructions.get(i);
                if (insn.getOpcode() == put && insn instanceof FieldInsnNode fi && fi.owner.equals(owner)
                        && fi.name.equals(field.name) && f[i] != null) {
                    Optional<String> p = originProblem(owner, m, f, top(f[i], 0), use, new HashSet<>());
                    if (p.isPresent()) {
                        return p;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Why values of {@code use} can change whatever made them, or empty when the type alone guarantees they cannot. */
    Optional<String> typeProblem(TypeUse use) {
        if (use.array()) {
            return Optional.of("an array");
        }
        String t = use.name();
        if (t == null) {
            return Optional.of("a value of a type variable");
        }
        if (t.length() == 1) {
            return Optional.empty(); // primitive descriptor
        }
        if (IMMUTABLE_JDK.contains(t)) {
            return Optional.empty();
        }
        if (ClassHierarchy.isJdk(t)) {
            boolean jdkEnum = hierarchy.node(t).map(n -> (n.access & Opcodes.ACC_ENUM) != 0).orElse(false);
            return jdkEnum ? Optional.empty() : Optional.of(article(simple(t)));
        }
        return classProblem(t);
    }

    /** Why instances of the pack or API class {@code type} can change, or empty when they cannot. */
    Optional<String> classProblem(String type) {
        Optional<String> known = classVerdicts.get(type);
        if (known != null) {
            return known;
        }
        if (!visiting.add(type)) {
            return Optional.empty(); // a cycle: judged where it started
        }
        Optional<String> verdict;
        try {
            verdict = judgeClass(type);
        } finally {
            visiting.remove(type);
        }
        classVerdicts.put(type, verdict);
        return verdict;
    }

    private Optional<String> judgeClass(String type) {
        String what = article(simple(type));
        Optional<ClassNode> node = hierarchy.node(type);
        if (node.isEmpty()) {
            return Optional.of(what + " (class file not found)");
        }
        ClassNode n = node.get();
        if ((n.access & Opcodes.ACC_INTERFACE) != 0) {
            return Optional.of(what + " (an interface: any implementation)");
        }
        String sup = n.superName;
        if (sup != null && !sup.equals("java/lang/Object") && !sup.equals("java/lang/Record")
                && !sup.equals("java/lang/Enum")) {
            if (ClassHierarchy.isJdk(sup)) {
                return Optional.of(what + (hierarchy.isSubclassOf(sup, "java/lang/Throwable")
                        ? " (an exception: its stack trace, cause and suppressed exceptions can be changed)"
                        : " (it extends " + sup.replace('/', '.') + ")"));
            }
            Optional<String> p = classProblem(sup);
            if (p.isPresent()) {
                return Optional.of(what + " (its superclass is " + p.get() + ")");
            }
        }
        List<MethodNode> constructors = n.methods.stream().filter(m -> m.name.equals("<init>")).toList();
        for (FieldNode f : n.fields) {
            if ((f.access & Opcodes.ACC_STATIC) != 0) {
                continue;
            }
            if ((f.access & Opcodes.ACC_FINAL) == 0) {
                return Optional.of(what + " (its field " + f.name + " is not final)");
            }
            Optional<String> p = fieldProblem(type, f, constructors);
            if (p.isPresent()) {
                return Optional.of(what + " (its field " + f.name + " holds " + p.get() + ")");
            }
        }
        if ((n.access & Opcodes.ACC_FINAL) == 0) {
            for (String sub : hierarchy.packSubtypes(type)) {
                Optional<String> p = classProblem(sub);
                if (p.isPresent()) {
                    return Optional.of(what + " (its subclass is " + p.get() + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** True for the names of the arrays javac generates: an enum's {@code $VALUES}, a switch map. */
    static boolean javacArrayName(String name) {
        return name.equals("$VALUES") || name.startsWith("$SwitchMap$");
    }

    /**
     * Where method {@code m} (not a class initialiser) writes into one of javac's static arrays or lets one escape
     * (into a call other than {@code clone()}, a field, another array, a lambda or its return value), or empty.
     * Those arrays are exempt from the static-final rule because javac's own code only reads them.
     */
    Optional<String> javacArrayMisuse(String owner, MethodNode m) {
        boolean reads = false;
        for (AbstractInsnNode insn : m.instructions) {
            if (insn.getOpcode() == Opcodes.GETSTATIC && javacArrayName(((FieldInsnNode) insn).name)) {
                reads = true;
            }
        }
        if (!reads) {
            return Optional.empty();
        }
        Frame<SourceValue>[] f = frames(owner, m);
        if (f == null) {
            return Optional.of("javac's arrays in code that cannot be traced");
        }
        for (int i = 0; i < m.instructions.size(); i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (f[i] == null) {
                continue;
            }
            int op = insn.getOpcode();
            List<Integer> depths = new ArrayList<>();
            if (op == Opcodes.IASTORE || op == Opcodes.AASTORE || op == Opcodes.BASTORE || op == Opcodes.CASTORE
                    || op == Opcodes.SASTORE || op == Opcodes.LASTORE || op == Opcodes.FASTORE
                    || op == Opcodes.DASTORE) {
                depths.add(2); // the array written into
            }
            if (op == Opcodes.AASTORE || op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC
                    || op == Opcodes.ARETURN) {
                depths.add(0); // the value stored or returned
            }
            if (insn instanceof MethodInsnNode mi && !mi.name.equals("clone")) {
                int n = operandTypes(mi.desc, op == Opcodes.INVOKESTATIC).length;
                for (int k = 0; k < n; k++) {
                    depths.add(k);
                }
            } else if (insn instanceof InvokeDynamicInsnNode indy) {
                for (int k = 0; k < Type.getArgumentTypes(indy.desc).length; k++) {
                    depths.add(k);
                }
            }
            for (int d : depths) {
                Set<AbstractInsnNode> sources = new LinkedHashSet<>();
                chase(m, f, top(f[i], d), sources, new HashSet<>());
                for (AbstractInsnNode src : sources) {
                    if (src.getOpcode() == Opcodes.GETSTATIC && javacArrayName(((FieldInsnNode) src).name)) {
                        FieldInsnNode fi = (FieldInsnNode) src;
                        return Optional.of("javac's array " + fi.owner.replace('/', '.') + "." + fi.name
                                + " written or handed on");
                    }
                }
            }
        }
        return Optional.empty();
    }

    // ---- origins

    private Optional<String> originProblem(String owner, MethodNode m, Frame<SourceValue>[] f, SourceValue value,
                                           TypeUse expected, Set<AbstractInsnNode> seen) {
        Set<AbstractInsnNode> sources = new LinkedHashSet<>();
        boolean argument = chase(m, f, value, sources, new HashSet<>());
        if (argument) {
            return Optional.of("a value passed in as an argument (copy it with List.copyOf/Set.copyOf/Map.copyOf"
                    + " where it is stored)");
        }
        for (AbstractInsnNode s : sources) {
            if (!seen.add(s)) {
                continue;
            }
            Optional<String> p = sourceProblem(owner, m, f, s, expected, seen);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private Optional<String> sourceProblem(String owner, MethodNode m, Frame<SourceValue>[] f, AbstractInsnNode s,
                                           TypeUse expected, Set<AbstractInsnNode> seen) {
        int op = s.getOpcode();
        if (op == Opcodes.ACONST_NULL) {
            return Optional.empty();
        }
        if (s instanceof LdcInsnNode ldc) {
            return ldc.cst instanceof String || ldc.cst instanceof Type t && t.getSort() != Type.METHOD
                    ? Optional.empty() : Optional.of("a constant of unknown kind");
        }
        if (op == Opcodes.NEW) {
            String t = ((TypeInsnNode) s).desc;
            return typeProblem(new TypeUse(t, List.of(), false));
        }
        if (op == Opcodes.ANEWARRAY || op == Opcodes.NEWARRAY || op == Opcodes.MULTIANEWARRAY) {
            return Optional.of("an array");
        }
        if (op == Opcodes.GETSTATIC) {
            FieldInsnNode fi = (FieldInsnNode) s;
            // A pack's static final is checked where it is declared; a non-final one is refused there.
            return staticFinal(fi) ? Optional.empty()
                    : Optional.of("the static field " + fi.owner.replace('/', '.') + "." + fi.name);
        }
        if (op == Opcodes.GETFIELD) {
            FieldInsnNode fi = (FieldInsnNode) s;
            return typeProblem(TypeUse.of(fi.desc, null)).map(p -> p + " read from field " + fi.name);
        }
        int index = m.instructions.indexOf(s);
        if (s instanceof InvokeDynamicInsnNode indy) {
            Handle bsm = indy.bsm;
            if (bsm.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
                return Optional.empty();
            }
            if (bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")) {
                return operandsProblem(owner, m, f, index, operandTypes(indy.desc, true), seen)
                        .map(p -> "a lambda capturing " + p);
            }
            return Optional.of("what an invokedynamic makes");
        }
        if (s instanceof MethodInsnNode mi) {
            String call = mi.owner + "." + mi.name;
            Type[] operands = operandTypes(mi.desc, op == Opcodes.INVOKESTATIC);
            if (ELEMENT_FACTORIES.contains(call) || isCollectionsFactory(mi, "singleton", "empty", "nCopies")) {
                // The elements themselves, not the field's generic signature (which hand-written bytecode can
                // misstate): List.of(a, b) and List.of(new E[] {a, b}) alike.
                return elementOperandsProblem(owner, m, f, index, operands, seen);
            }
            if (COPY_FACTORIES.contains(call) || isCollectionsFactory(mi, "unmodifiable")) {
                return elementsProblem(expected, simple(mi.owner) + "." + mi.name);
            }
            if (COMBINATOR_OWNERS.contains(mi.owner) || mi.owner.startsWith("java/util/function/")) {
                return operandsProblem(owner, m, f, index, operands, seen);
            }
            Type r = Type.getReturnType(mi.desc);
            if (r.getSort() != Type.OBJECT && r.getSort() != Type.ARRAY) {
                return Optional.empty();
            }
            return typeProblem(TypeUse.of(r.getDescriptor(), null)).map(p -> "what " + simple(mi.owner) + "."
                    + mi.name + "() returns (" + p + ")");
        }
        return Optional.of("a value of unknown origin (" + op + ")");
    }

    private static boolean isCollectionsFactory(MethodInsnNode mi, String... prefixes) {
        if (!mi.owner.equals("java/util/Collections")) {
            return false;
        }
        for (String p : prefixes) {
            if (mi.name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Each operand of a call that keeps its arguments as elements; an array operand is judged by what is stored in it. */
    private Optional<String> elementOperandsProblem(String owner, MethodNode m, Frame<SourceValue>[] f, int index,
                                                    Type[] types, Set<AbstractInsnNode> seen) {
        Frame<SourceValue> at = f[index];
        for (int k = 0; k < types.length; k++) {
            if (isPrimitive(types[types.length - 1 - k].getDescriptor())) {
                continue;
            }
            SourceValue v = top(at, k);
            Set<AbstractInsnNode> sources = new LinkedHashSet<>();
            boolean argument = chase(m, f, v, sources, new HashSet<>());
            boolean varargs = !argument && !sources.isEmpty()
                    && sources.stream().allMatch(s -> s.getOpcode() == Opcodes.ANEWARRAY);
            Optional<String> p = varargs ? storedElementsProblem(owner, m, f, sources, seen)
                    : originProblem(owner, m, f, v, null, seen);
            if (p.isPresent()) {
                return p.map(x -> "a collection holding " + x);
            }
        }
        return Optional.empty();
    }

    /** What the method stores into the arrays {@code arrays} (AASTORE), each judged by its origin. */
    private Optional<String> storedElementsProblem(String owner, MethodNode m, Frame<SourceValue>[] f,
                                                   Set<AbstractInsnNode> arrays, Set<AbstractInsnNode> seen) {
        for (int i = 0; i < m.instructions.size(); i++) {
            if (m.instructions.get(i).getOpcode() != Opcodes.AASTORE || f[i] == null) {
                continue;
            }
            Set<AbstractInsnNode> target = new LinkedHashSet<>();
            chase(m, f, top(f[i], 2), target, new HashSet<>());
            if (target.stream().anyMatch(arrays::contains)) {
                Optional<String> p = originProblem(owner, m, f, top(f[i], 0), null, seen);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> elementsProblem(TypeUse expected, String factory) {
        if (expected == null || expected.name() == null || !COLLECTIONS.contains(expected.name())) {
            return Optional.of("a collection from " + factory + " with elements of unknown type");
        }
        if (expected.args().isEmpty()) {
            return Optional.of("a raw " + simple(expected.name()) + " (its element types are unknown)");
        }
        for (TypeUse a : expected.args()) {
            Optional<String> p = typeProblem(a);
            if (p.isPresent()) {
                return Optional.of("a " + simple(expected.name()) + " of " + p.get());
            }
        }
        return Optional.empty();
    }

    /** The types of what a call takes from the stack, receiver first. */
    private static Type[] operandTypes(String desc, boolean isStatic) {
        Type[] args = Type.getArgumentTypes(desc);
        if (isStatic) {
            return args;
        }
        Type[] all = new Type[args.length + 1];
        all[0] = Type.getObjectType("java/lang/Object");
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    private Optional<String> operandsProblem(String owner, MethodNode m, Frame<SourceValue>[] f, int index,
                                             Type[] types, Set<AbstractInsnNode> seen) {
        Frame<SourceValue> at = f[index];
        for (int k = 0; k < types.length; k++) {
            if (isPrimitive(types[types.length - 1 - k].getDescriptor())) {
                continue;
            }
            SourceValue v = top(at, k);
            Optional<String> p = originProblem(owner, m, f, v, null, seen);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private boolean staticFinal(FieldInsnNode fi) {
        Optional<String> declaring = hierarchy.declaringField(fi.owner, fi.name, fi.desc);
        return declaring.flatMap(hierarchy::node).map(n -> n.fields.stream().anyMatch(x -> x.name.equals(fi.name)
                && (x.access & (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL)) == (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL)))
                .orElse(false);
    }

    /**
     * Collects the instructions that made {@code value}, looking through loads, stores, dups and casts; returns
     * true when some path leads to a method argument (or anything else no instruction of this method made).
     */
    private boolean chase(MethodNode m, Frame<SourceValue>[] f, SourceValue value, Set<AbstractInsnNode> out,
                          Set<AbstractInsnNode> seen) {
        if (value.insns.isEmpty()) {
            return true;
        }
        boolean argument = false;
        for (AbstractInsnNode insn : value.insns) {
            if (!seen.add(insn)) {
                continue;
            }
            int op = insn.getOpcode();
            Frame<SourceValue> at = f[m.instructions.indexOf(insn)];
            if (at == null) {
                continue;
            }
            if (op == Opcodes.ALOAD) {
                argument |= chase(m, f, at.getLocal(((VarInsnNode) insn).var), out, seen);
            } else if (op == Opcodes.ASTORE || op == Opcodes.DUP || op == Opcodes.CHECKCAST || op == Opcodes.DUP_X1
                    || op == Opcodes.DUP_X2) {
                argument |= chase(m, f, top(at, 0), out, seen);
            } else {
                out.add(insn);
            }
        }
        return argument;
    }

    private static SourceValue top(Frame<SourceValue> frame, int fromTop) {
        return frame.getStack(frame.getStackSize() - 1 - fromTop);
    }

    private Frame<SourceValue>[] frames(String owner, MethodNode m) {
        if (!frames.containsKey(m)) {
            Frame<SourceValue>[] f;
            try {
                f = new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
            } catch (AnalyzerException | RuntimeException e) {
                f = null;
            }
            frames.put(m, f);
        }
        return frames.get(m);
    }

    private static boolean isPrimitive(String desc) {
        return desc.length() == 1;
    }

    static String simple(String internalName) {
        String s = internalName.substring(internalName.lastIndexOf('/') + 1);
        return s.substring(s.lastIndexOf('$') + 1);
    }

    private static String article(String noun) {
        return ("AEIOU".indexOf(Character.toUpperCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
    }

    /** A small reader of field signatures (JVMS 4.7.9.1 ReferenceTypeSignature), keeping one level of arguments. */
    private static final class SignatureParser {
        private final String s;
        private int i;

        SignatureParser(String s) {
            this.s = s;
        }

        TypeUse type() {
            char c = s.charAt(i);
            if (c == '[') {
                i++;
                type();
                return new TypeUse(null, List.of(), true);
            }
            if (c == 'T') {
                i = s.indexOf(';', i) + 1;
                return new TypeUse(null, List.of(), false);
            }
            if (c != 'L') {
                i++;
                return new TypeUse(String.valueOf(c), List.of(), false);
            }
            i++;
            StringBuilder name = new StringBuilder();
            List<TypeUse> args = new ArrayList<>();
            while (true) {
                char d = s.charAt(i);
                if (d == ';') {
                    i++;
                    return new TypeUse(name.toString(), List.copyOf(args), false);
                } else if (d == '<') {
                    i++;
                    args.clear();
                    while (s.charAt(i) != '>') {
                        char w = s.charAt(i);
                        if (w == '*') {
                            i++;
                            args.add(new TypeUse(null, List.of(), false));
                        } else {
                            if (w == '+' || w == '-') {
                                i++;
                            }
                            TypeUse a = type();
                            // "? super X" admits any supertype of X: unknown
                            args.add(w == '-' ? new TypeUse(null, List.of(), false) : a);
                        }
                    }
                    i++;
                } else if (d == '.') {
                    name.append('$');
                    i++;
                } else {
                    name.append(d);
                    i++;
                }
            }
        }
    }
}
