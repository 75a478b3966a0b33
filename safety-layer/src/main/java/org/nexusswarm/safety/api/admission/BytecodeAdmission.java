package org.nexusswarm.safety.api.admission;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The bytecode half of pack admission: reads every class of a pack with ASM (no class is loaded, nothing of the
 * pack runs) and checks every type, method and field it references against {@link AdmissionRules}.
 *
 * <p>What is read: the class header (superclass, interfaces, generic signature, annotations, nest and permitted
 * subclasses), every field and method declaration (descriptor, signature, exceptions, annotations, default
 * values), every instruction that names a type or member (new, casts, instanceof, arrays, field and method
 * instructions, try/catch types, local variable types), {@code ldc} constants (class literals, method handles,
 * method types, dynamic constants), and {@code invokedynamic}: its bootstrap must be one the rules allow
 * (lambdas, string concatenation, records), and its bootstrap arguments are checked like instructions, so
 * {@code System::exit} as a method reference is found. Finally the raw constant pool is scanned, so a class or
 * member constant that no visited structure uses is still checked (reported at {@code <constant pool>}).
 *
 * <p>The pack's own classes (the ones under its package in its {@link PackFiles}) may be referenced freely; a
 * reference to a class of the pack's package that the pack does not contain is refused (it would resolve to a
 * class from somewhere else on the class path). Deny wins over allow; see {@link AdmissionRules}.
 */
public final class BytecodeAdmission {

    private final AdmissionRules rules;
    private final ClassLoader apiLoader;

    public BytecodeAdmission(AdmissionRules rules) {
        this(rules, BytecodeAdmission.class.getClassLoader());
    }

    /**
     * @param apiLoader where the class files of the allowed non-JDK types (the agent API) are read from, to resolve
     *                  members inherited from them; JDK class files are read through the platform class loader
     */
    public BytecodeAdmission(AdmissionRules rules, ClassLoader apiLoader) {
        this.rules = rules;
        this.apiLoader = apiLoader;
    }

    /** All findings for every class file of {@code files}, in file order; empty when the pack is admitted. */
    public List<BytecodeFinding> check(PackFiles files) {
        List<BytecodeFinding> findings = new ArrayList<>();
        Set<String> own = new HashSet<>();
        Map<String, byte[]> packClasses = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : files.entries().entrySet()) {
            String path = e.getKey();
            if (path.endsWith(".class")) {
                String name = path.substring(0, path.length() - ".class".length());
                own.add(name);
                packClasses.put(name, e.getValue());
            }
        }
        ClassHierarchy hierarchy = new ClassHierarchy(packClasses, apiLoader);
        Immutability immutability = new Immutability(hierarchy);
        for (Map.Entry<String, byte[]> e : files.entries().entrySet()) {
            if (e.getKey().endsWith(".class")) {
                findings.addAll(checkClass(e.getKey(), e.getValue(), files.packagePrefix(), own, hierarchy,
                        immutability));
            }
        }
        return List.copyOf(findings);
    }

    private List<BytecodeFinding> checkClass(String path, byte[] bytes, String packagePrefix, Set<String> own,
                                             ClassHierarchy hierarchy, Immutability immutability) {
        String expected = path.substring(0, path.length() - ".class".length());
        ClassReader reader;
        try {
            reader = new ClassReader(bytes);
        } catch (RuntimeException e) {
            return List.of(new BytecodeFinding(expected.replace('/', '.'), "<class>", path,
                    "unreadable class file (" + e + ")"));
        }
        Checker checker = new Checker(expected.replace('/', '.'), packagePrefix, own, hierarchy, immutability);
        if (!reader.getClassName().equals(expected)) {
            checker.add("<class>", reader.getClassName(), "class file " + path + " defines another class");
        }
        try {
            reader.accept(checker.classVisitor(), 0);
            checker.scanConstantPool(reader);
            checker.sharedState(reader.getClassName());
            checker.stopSafety(reader.getClassName());
        } catch (RuntimeException e) {
            checker.add("<class>", path, "malformed class file (" + e + ")");
        }
        return checker.findings;
    }

    /** Collects the findings of one class. */
    private final class Checker {
        final String className;
        final String packagePrefix;
        final Set<String> own;
        final ClassHierarchy hierarchy;
        final Immutability immutability;
        final List<BytecodeFinding> findings = new ArrayList<>();
        final Set<String> reported = new HashSet<>();
        /** Names that appear only as InnerClasses metadata (javac lists MethodHandles$Lookup for every lambda). */
        final Set<String> innerClassEntries = new LinkedHashSet<>();
        String member = "<class>";

        Checker(String className, String packagePrefix, Set<String> own, ClassHierarchy hierarchy,
                Immutability immutability) {
            this.className = className;
            this.packagePrefix = packagePrefix;
            this.own = own;
            this.hierarchy = hierarchy;
            this.immutability = immutability;
        }

        void add(String where, String reference, String category) {
            if (reported.add(where + " " + reference)) {
                findings.add(new BytecodeFinding(className, where, reference, category));
            }
        }

        /** True when {@code reference}, or a member of the type {@code reference}, was already reported. */
        boolean alreadyReported(String reference) {
            return reported.stream().anyMatch(r -> r.endsWith(" " + reference) || r.contains(" " + reference + ".")
                    || r.contains(" " + reference + " (inherited from "));
        }

        // ---- types

        void type(String internalName) {
            if (internalName == null) {
                return;
            }
            String t = internalName;
            if (t.startsWith("[")) {
                Type elem = Type.getType(t).getElementType();
                if (elem.getSort() != Type.OBJECT) {
                    return;
                }
                t = elem.getInternalName();
            }
            String checked = t;
            problem(checked).ifPresent(p -> add(member, checked, p));
        }

        Optional<String> problem(String t) {
            if (t.startsWith(packagePrefix)) {
                return own.contains(t) ? Optional.empty()
                        : Optional.of("in the pack's package but not in the pack");
            }
            return rules.typeProblem(t);
        }

        void descriptor(String desc) {
            if (desc == null) {
                return;
            }
            Type t = Type.getType(desc);
            if (t.getSort() == Type.METHOD) {
                for (Type a : t.getArgumentTypes()) {
                    typeOf(a);
                }
                typeOf(t.getReturnType());
            } else {
                typeOf(t);
            }
        }

        void typeOf(Type t) {
            Type e = t.getSort() == Type.ARRAY ? t.getElementType() : t;
            if (e.getSort() == Type.OBJECT) {
                type(e.getInternalName());
            }
        }

        void signature(String signature) {
            if (signature == null) {
                return;
            }
            new SignatureReader(signature).accept(new SignatureVisitor(Opcodes.ASM9) {
                @Override
                public void visitClassType(String name) {
                    type(name);
                }
            });
        }

        // ---- members

        void member(String owner, String name, String desc, boolean method) {
            String reference = owner + "." + name + (method ? desc : ":" + desc);
            String ownerType = owner;
            if (ownerType.startsWith("[")) {
                Type elem = Type.getType(ownerType).getElementType();
                ownerType = elem.getSort() == Type.OBJECT ? elem.getInternalName() : null;
            }
            if (ownerType == null && !name.equals("clone")) {
                // A primitive array's members are Object's (an int[]'s hashCode is an identity hash).
                Optional<String> objects = rules.memberProblem("java/lang/Object", name, desc);
                if (objects.isPresent()) {
                    add(member, reference + " (inherited from java/lang/Object)", objects.get());
                    return;
                }
            }
            if (ownerType != null) {
                Optional<String> ownerProblem = problem(ownerType);
                if (ownerProblem.isPresent()) {
                    add(member, reference, ownerProblem.get());
                    return;
                }
                if (!ownerType.startsWith(packagePrefix)) {
                    Optional<String> memberProblem = rules.memberProblem(ownerType, name, desc);
                    if (memberProblem.isPresent()) {
                        add(member, reference, memberProblem.get());
                        return;
                    }
                }
                Optional<String> declaring = declaring(owner, ownerType, name, desc, method);
                if (declaring.isPresent() && !declaring.get().equals(ownerType) && !own.contains(declaring.get())) {
                    String d = declaring.get();
                    // Member denials only: a type denial covers naming the type (an allowed seeded
                    // SplittableRandom inherits RandomGenerator's deterministic defaults).
                    Optional<String> inherited = rules.memberProblem(d, name, desc);
                    if (inherited.isPresent()) {
                        add(member, reference + " (inherited from " + d + ")", inherited.get());
                        return;
                    }
                }
            }
            descriptor(desc);
        }

        /**
         * The class whose member a reference resolves to, as the JVM resolves it: a static method of ZoneId named
         * through ZoneOffset, a Throwable method named through the pack's own exception, a default method of an
         * interface named through the pack class that implements it. Constructors are never inherited.
         */
        Optional<String> declaring(String owner, String ownerType, String name, String desc, boolean method) {
            if (name.equals("<init>") || name.equals("<clinit>")) {
                return Optional.empty();
            }
            if (owner.startsWith("[")) {
                // An array's members are Object's, but for its public clone().
                return name.equals("clone") ? Optional.empty() : Optional.of("java/lang/Object");
            }
            return method ? hierarchy.declaringMethod(ownerType, name, desc)
                    : hierarchy.declaringField(ownerType, name, desc);
        }

        void handle(Handle h) {
            member(h.getOwner(), h.getName(), h.getDesc(), h.getTag() >= Opcodes.H_INVOKEVIRTUAL);
        }

        void constant(Object value) {
            if (value instanceof Type t) {
                if (t.getSort() == Type.METHOD) {
                    descriptor(t.getDescriptor());
                } else {
                    typeOf(t);
                }
            } else if (value instanceof Handle h) {
                handle(h);
            } else if (value instanceof ConstantDynamic cd) {
                bootstrap(cd.getBootstrapMethod());
                descriptor(cd.getDescriptor());
                for (int i = 0; i < cd.getBootstrapMethodArgumentCount(); i++) {
                    constant(cd.getBootstrapMethodArgument(i));
                }
            }
        }

        void bootstrap(Handle bsm) {
            if (!rules.allowsBootstrap(bsm.getOwner(), bsm.getName())) {
                add(member, "invokedynamic bootstrap " + bsm.getOwner() + "." + bsm.getName() + bsm.getDesc(),
                        rules.typeProblem(bsm.getOwner()).orElse(AdmissionRules.REFLECTION));
            }
        }

        // ---- raw constant pool

        void scanConstantPool(ClassReader reader) {
            String previous = member;
            member = "<constant pool>";
            char[] buf = new char[reader.getMaxStringLength()];
            // Members first, then classes, so a class constant that only serves as a reported member's owner is
            // not reported a second time.
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 1; i < reader.getItemCount(); i++) {
                    int offset = reader.getItem(i);
                    if (offset == 0) {
                        continue;
                    }
                    int tag = reader.b[offset - 1];
                    if (pass == 1 && tag == 7) { // CONSTANT_Class
                        String name = reader.readUTF8(offset, buf);
                        if (!innerClassEntries.contains(name) && !isBootstrapOwner(reader, buf, name)
                                && !alreadyReported(name)) {
                            type(name);
                        }
                    } else if (pass == 0 && (tag == 9 || tag == 10 || tag == 11)) { // Field/Method/IMethodref
                        String owner = reader.readClass(offset, buf);
                        int nat = reader.getItem(reader.readUnsignedShort(offset + 2));
                        String name = reader.readUTF8(nat, buf);
                        String desc = reader.readUTF8(nat + 2, buf);
                        boolean method = tag != 9;
                        String reference = owner + "." + name + (method ? desc : ":" + desc);
                        if (!(method && rules.allowsBootstrap(owner, name)) && !alreadyReported(reference)) {
                            member(owner, name, desc, method);
                        }
                    } else if (pass == 0 && tag == 16) { // MethodType
                        descriptor(reader.readUTF8(offset, buf));
                    }
                }
            }
            member = previous;
        }

        /** True when {@code name} is the owner of an allowed bootstrap method this class refers to. */
        private boolean isBootstrapOwner(ClassReader reader, char[] buf, String name) {
            for (int i = 1; i < reader.getItemCount(); i++) {
                int offset = reader.getItem(i);
                if (offset != 0 && reader.b[offset - 1] == 10 && reader.readClass(offset, buf).equals(name)) {
                    int nat = reader.getItem(reader.readUnsignedShort(offset + 2));
                    if (rules.allowsBootstrap(name, reader.readUTF8(nat, buf))) {
                        return true;
                    }
                }
            }
            return false;
        }

        // ---- visitors

        AnnotationVisitor annotation(String desc) {
            descriptor(desc);
            return annotationValues();
        }

        AnnotationVisitor annotationValues() {
            return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String name, Object value) {
                    constant(value);
                }

                @Override
                public void visitEnum(String name, String desc, String value) {
                    descriptor(desc);
                }

                @Override
                public AnnotationVisitor visitAnnotation(String name, String desc) {
                    return annotation(desc);
                }

                @Override
                public AnnotationVisitor visitArray(String name) {
                    return this;
                }
            };
        }

        ClassVisitor classVisitor() {
            return new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                                  String[] interfaces) {
                    member = "<class>";
                    supertype(superName, false);
                    if (interfaces != null) {
                        for (String i : interfaces) {
                            supertype(i, true);
                        }
                    }
                    signature(signature);
                }

                @Override
                public void visitOuterClass(String owner, String name, String descriptor) {
                    member = "<class>";
                    type(owner);
                }

                @Override
                public void visitNestHost(String nestHost) {
                    member = "<class>";
                    type(nestHost);
                }

                @Override
                public void visitNestMember(String nestMember) {
                    member = "<class>";
                    type(nestMember);
                }

                @Override
                public void visitPermittedSubclass(String permittedSubclass) {
                    member = "<class>";
                    type(permittedSubclass);
                }

                @Override
                public void visitInnerClass(String name, String outerName, String innerName, int access) {
                    // Metadata only: javac lists every nested class it mentions (MethodHandles$Lookup for each
                    // lambda). A real use of such a class is an instruction or descriptor and is checked there.
                    innerClassEntries.add(name);
                    if (outerName != null) {
                        innerClassEntries.add(outerName);
                    }
                }

                @Override
                public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                    member = "<class>";
                    return annotation(descriptor);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor,
                                                             boolean visible) {
                    member = "<class>";
                    return annotation(descriptor);
                }

                @Override
                public void visitAttribute(Attribute attribute) {
                    // Non-standard attributes are ignored by the JVM; nothing to check.
                }

                @Override
                public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
                    member = name;
                    descriptor(descriptor);
                    signature(signature);
                    return new RecordComponentVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                            return annotation(d);
                        }

                        @Override
                        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String d,
                                                                     boolean visible) {
                            return annotation(d);
                        }
                    };
                }

                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                               Object value) {
                    member = name;
                    descriptor(descriptor);
                    signature(signature);
                    staticField(access, name);
                    return new FieldVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                            return annotation(d);
                        }

                        @Override
                        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String d,
                                                                     boolean visible) {
                            return annotation(d);
                        }
                    };
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    member = name + "(..)";
                    descriptor(descriptor);
                    signature(signature);
                    if (name.equals("finalize") && descriptor.equals("()V") && (access & Opcodes.ACC_STATIC) == 0) {
                        add(member, "a finalizer", AdmissionRules.THREADS
                                + " (the JVM's finalizer thread runs it, outside any step)");
                    }
                    if (exceptions != null) {
                        for (String e : exceptions) {
                            type(e);
                        }
                    }
                    return methodVisitor(name + "(..)");
                }
            };
        }

        /**
         * A static field is state every entity of the pack shares in the JVM (a channel no envelope, journal or
         * provenance rule sees, and that a replay cannot reproduce): only final ones are admitted.
         */
        void staticField(int access, String name) {
            if ((access & Opcodes.ACC_STATIC) == 0) {
                return;
            }
            if ((access & Opcodes.ACC_FINAL) == 0) {
                add(name, "static field " + name + " (not final)", AdmissionRules.SHARED_STATE);
            }
        }

        /**
         * A pack class may extend only Object, Record, Enum, a JDK exception, a pack class or an allowed API class,
         * and implement only allowed interfaces: a JDK superclass hands the pack its protected members and makes JDK
         * code call the pack's overrides (a ClassLoader, a Thread, an InputStream, a Chronology).
         */
        void supertype(String type, boolean isInterface) {
            if (type == null) {
                return; // java/lang/Object itself
            }
            if (type.startsWith(packagePrefix)) {
                type(type);
                return;
            }
            Optional<String> problem = rules.typeProblem(type);
            boolean allowed = problem.isEmpty() && (rules.allowsSupertype(type)
                    || !isInterface && hierarchy.isSubclassOf(type, "java/lang/Exception"));
            if (!allowed) {
                add("<class>", (isInterface ? "interface " : "superclass ") + type, problem.map(p -> p + "; ")
                        .orElse("") + (isInterface ? AdmissionRules.INTERFACES : AdmissionRules.SUPERCLASSES));
            }
        }

        /**
         * Static finals whose value can change, and enum constants (static singletons) with state that can: see
         * {@link Immutability}. Runs after the class was visited, on the class's own parsed form.
         */
        void sharedState(String internalName) {
            ClassNode n = hierarchy.node(internalName).orElse(null);
            if (n == null) {
                return;
            }
            List<MethodNode> clinit = n.methods.stream().filter(m -> m.name.equals("<clinit>")).toList();
            List<MethodNode> constructors = n.methods.stream().filter(m -> m.name.equals("<init>")).toList();
            for (FieldNode f : n.fields) {
                int staticFinal = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
                if ((f.access & staticFinal) == staticFinal && !javacArray(f)) {
                    immutability.fieldProblem(internalName, f, clinit).ifPresent(p -> add("<clinit>(..)",
                            "static field " + f.name + " holding " + p, AdmissionRules.SHARED_STATE));
                }
            }
            for (MethodNode m : n.methods) {
                if (!m.name.equals("<clinit>")) {
                    immutability.javacArrayMisuse(internalName, m).ifPresent(p -> add(m.name + "(..)", p,
                            AdmissionRules.SHARED_STATE));
                }
            }
            boolean isEnum = (n.access & Opcodes.ACC_ENUM) != 0 || n.superName != null && own.contains(n.superName)
                    && hierarchy.node(n.superName).map(s -> (s.access & Opcodes.ACC_ENUM) != 0).orElse(false);
            if (!isEnum) {
                return;
            }
            for (FieldNode f : n.fields) {
                if ((f.access & Opcodes.ACC_STATIC) != 0) {
                    continue;
                }
                if ((f.access & Opcodes.ACC_FINAL) == 0) {
                    add(f.name, "enum field " + f.name + " (not final: an enum constant is one object every entity"
                            + " of the pack shares)", AdmissionRules.SHARED_STATE);
                } else {
                    immutability.fieldProblem(internalName, f, constructors).ifPresent(p -> add(f.name,
                            "enum field " + f.name + " holding " + p, AdmissionRules.SHARED_STATE));
                }
            }
        }

        /** Handlers that could keep a thread the watchdog stops running: see {@link StopSafety}. */
        void stopSafety(String internalName) {
            hierarchy.node(internalName).ifPresent(n -> {
                for (MethodNode m : n.methods) {
                    StopSafety.problem(internalName, m).ifPresent(p -> add(m.name + "(..)",
                            "a catch of ThreadDeath: " + p, StopSafety.CATEGORY));
                }
            });
        }

        /**
         * The arrays javac generates (an enum's {@code $VALUES}, a switch map): written once in the initializer and
         * read by javac's code only. Only these names, synthetic and of their javac type, are exempt, and no method
         * but the initializer may write into them or hand them on ({@link Immutability#javacArrayMisuse}).
         */
        boolean javacArray(FieldNode f) {
            return (f.access & Opcodes.ACC_SYNTHETIC) != 0 && Immutability.javacArrayName(f.name)
                    && (f.desc.startsWith("[L") || f.desc.equals("[I"));
        }

        MethodVisitor methodVisitor(String where) {
            boolean initializer = "<clinit>(..)".equals(where);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                    member = where;
                    descriptor(descriptor);
                }

                // Every callback sets the location first: annotations and instructions interleave with other
                // methods' visits only in ASM's order, which is one method at a time.
                @Override
                public AnnotationVisitor visitAnnotationDefault() {
                    member = where;
                    return annotationValues();
                }

                @Override
                public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                    member = where;
                    return annotation(d);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String d,
                                                             boolean visible) {
                    member = where;
                    return annotation(d);
                }

                @Override
                public AnnotationVisitor visitParameterAnnotation(int parameter, String d, boolean visible) {
                    member = where;
                    return annotation(d);
                }

                @Override
                public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath, String d,
                                                             boolean visible) {
                    member = where;
                    return annotation(d);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    member = where;
                    type(type);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    member = where;
                    member(owner, name, descriptor, false);
                    if (opcode != Opcodes.PUTSTATIC) {
                        return;
                    }
                    if (!initializer) {
                        add(where, "a write to static field " + owner.replace('/', '.') + "." + name,
                                AdmissionRules.SHARED_STATE);
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                            boolean isInterface) {
                    member = where;
                    member(owner, name, descriptor, true);
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
                    member = where;
                    bootstrap(bsm);
                    descriptor(descriptor);
                    for (Object a : args) {
                        constant(a);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    member = where;
                    constant(value);
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    member = where;
                    type(type);
                }

                @Override
                public void visitLocalVariable(String name, String descriptor, String signature, Label start,
                                               Label end, int index) {
                    member = where;
                    descriptor(descriptor);
                    signature(signature);
                }
            };
        }
    }
}
