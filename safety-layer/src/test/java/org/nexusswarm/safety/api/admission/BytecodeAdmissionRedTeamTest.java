package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Red team: malicious "packs" compiled with the test sources (one package each under {@code redteam.packs}) try
 * to reach the JVM, the node, files, the network, reflection, threads, the clock and randomness. Each must be
 * refused with the exact class, method and reference; the clean logic, which uses everything javac emits for
 * ordinary code, must be admitted (or the allow-list is useless and everyone would turn the check off).
 */
class BytecodeAdmissionRedTeamTest {

    private final BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());

    private List<String> findings(String packClass) {
        PackFiles files = PackFiles.locate(getClass().getClassLoader(), packClass, List.of());
        assertFalse(files.entries().isEmpty(), "no files found for " + packClass);
        return admission.check(files).stream().map(BytecodeFinding::describe).collect(Collectors.toList());
    }

    private void refused(String packClass, String expected) {
        List<String> findings = findings(packClass);
        assertTrue(findings.contains(expected), "expected\n  " + expected + "\namong\n  "
                + String.join("\n  ", findings));
    }

    @Test
    void cleanPureLogicIsAdmitted() {
        assertEquals(List.of(), findings("redteam.packs.clean.CleanLogic"));
        // The guard against passing vacuously: the clean pack really has several classes (records, enum, lambda).
        assertTrue(PackFiles.locate(getClass().getClassLoader(), "redteam.packs.clean.CleanLogic", List.of())
                .paths().size() >= 5);
    }

    @Test
    void systemExitIsRefused() {
        List<String> f = findings("redteam.packs.exit.ExitLogic");
        assertEquals("redteam.packs.exit.ExitLogic.step(..) references java/lang/System.exit(I)V"
                + " (forbidden: System/Runtime)", f.get(0));
        assertEquals(1, f.size(), f.toString());
    }

    @Test
    void readingAFileIsRefused() {
        refused("redteam.packs.file.FileLogic",
                "redteam.packs.file.FileLogic.step(..) references java/io/FileInputStream (forbidden: files/network)");
        refused("redteam.packs.file.FileLogic", "redteam.packs.file.FileLogic.viaNio(..) references "
                + "java/nio/file/Path.of(Ljava/lang/String;[Ljava/lang/String;)Ljava/nio/file/Path;"
                + " (forbidden: files/network)");
    }

    @Test
    void openingASocketIsRefused() {
        refused("redteam.packs.socket.SocketLogic",
                "redteam.packs.socket.SocketLogic.step(..) references java/net/Socket (forbidden: files/network)");
    }

    @Test
    void reflectionIsRefused() {
        refused("redteam.packs.reflection.ReflectionLogic", "redteam.packs.reflection.ReflectionLogic.step(..)"
                + " references java/lang/Class.forName(Ljava/lang/String;)Ljava/lang/Class;"
                + " (forbidden: reflection/class loading)");
        refused("redteam.packs.reflection.ReflectionLogic", "redteam.packs.reflection.ReflectionLogic.step(..)"
                + " references java/lang/Class.getDeclaredField(Ljava/lang/String;)Ljava/lang/reflect/Field;"
                + " (forbidden: reflection)");
        refused("redteam.packs.reflection.ReflectionLogic", "redteam.packs.reflection.ReflectionLogic.step(..)"
                + " references java/lang/reflect/Field.setAccessible(Z)V (forbidden: reflection)");
    }

    @Test
    void startingAThreadIsRefused() {
        refused("redteam.packs.thread.ThreadLogic",
                "redteam.packs.thread.ThreadLogic.step(..) references java/lang/Thread (forbidden: threads)");
    }

    @Test
    void randomnessAndTheWallClockAreRefused() {
        refused("redteam.packs.random.RandomLogic",
                "redteam.packs.random.RandomLogic.step(..) references java/util/Random (forbidden: randomness)");
        refused("redteam.packs.random.RandomLogic", "redteam.packs.random.RandomLogic.step(..) references"
                + " java/lang/System.currentTimeMillis()J (forbidden: System/Runtime)");
        refused("redteam.packs.random.RandomLogic", "redteam.packs.random.RandomLogic.mathRandom(..) references"
                + " java/lang/Math.random()D (forbidden: randomness)");
        refused("redteam.packs.random.RandomLogic", "redteam.packs.random.RandomLogic.uuid(..) references"
                + " java/util/UUID.randomUUID()Ljava/util/UUID; (forbidden: randomness)");
        refused("redteam.packs.random.RandomLogic", "redteam.packs.random.RandomLogic.unseeded(..) references"
                + " java/util/SplittableRandom.<init>()V (forbidden: randomness)");
        refused("redteam.packs.clock.ClockLogic", "redteam.packs.clock.ClockLogic.step(..) references"
                + " java/time/Instant.now()Ljava/time/Instant; (forbidden: clock)");
    }

    @Test
    void pekkoActorSystemIsRefused() {
        refused("redteam.packs.pekko.PekkoLogic", "redteam.packs.pekko.PekkoLogic.system references"
                + " org/apache/pekko/actor/typed/ActorSystem (forbidden: Pekko/Scala)");
        refused("redteam.packs.pekko.PekkoLogic", "redteam.packs.pekko.PekkoLogic.step(..) references"
                + " org/apache/pekko/actor/typed/ActorSystem.terminate()V (forbidden: Pekko/Scala)");
    }

    @Test
    void theSafetyRegistryAndKeyTypesAreRefused() {
        refused("redteam.packs.registry.RegistryLogic", "redteam.packs.registry.RegistryLogic.step(..) references"
                + " org/nexusswarm/safety/api/registry/SafetyRegistry (forbidden: Nexus internals)");
        refused("redteam.packs.keys.KeysLogic", "redteam.packs.keys.KeysLogic.step(..) references"
                + " org/nexusswarm/actors/identity/SwarmKeyPair (forbidden: keys/crypto)");
        refused("redteam.packs.keys.KeysLogic", "redteam.packs.keys.KeysLogic.keep(..) references"
                + " java/security/PrivateKey (forbidden: keys/crypto)");
    }

    @Test
    void aMethodReferenceToAForbiddenMethodIsRefused() {
        refused("redteam.packs.methodref.MethodRefLogic", "redteam.packs.methodref.MethodRefLogic.step(..)"
                + " references java/lang/System.exit(I)V (forbidden: System/Runtime)");
        refused("redteam.packs.methodref.MethodRefLogic", "redteam.packs.methodref.MethodRefLogic.clock(..)"
                + " references java/lang/System.nanoTime()J (forbidden: System/Runtime)");
    }

    @Test
    void aCallHiddenInTheStaticInitializerIsRefused() {
        refused("redteam.packs.clinit.StaticInitLogic", "redteam.packs.clinit.StaticInitLogic.<clinit>(..)"
                + " references java/lang/Runtime.getRuntime()Ljava/lang/Runtime; (forbidden: System/Runtime)");
        refused("redteam.packs.clinit.StaticInitLogic", "redteam.packs.clinit.StaticInitLogic.<clinit>(..)"
                + " references java/lang/Runtime.halt(I)V (forbidden: System/Runtime)");
    }

    @Test
    void aClassOfThePacksPackageThatThePackDoesNotContainIsRefused() {
        // CleanLogic references its nested records; drop one from the pack and the reference must not resolve
        // to "some class of the same name elsewhere on the class path".
        PackFiles full = PackFiles.locate(getClass().getClassLoader(), "redteam.packs.clean.CleanLogic", List.of());
        Map<String, byte[]> partial = new java.util.TreeMap<>(full.entries());
        partial.remove("redteam/packs/clean/CleanLogic$Reading.class");
        List<String> f = admission.check(PackFiles.of("test", full.packagePrefix(), partial)).stream()
                .map(BytecodeFinding::describe).toList();
        assertTrue(f.contains("redteam.packs.clean.CleanLogic.step(..) references redteam/packs/clean/CleanLogic$Reading"
                + " (forbidden: in the pack's package but not in the pack)"), f.toString());
    }

    @Test
    void aForbiddenConstantUsedByNoInstructionIsStillFound() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Pool", null, "java/lang/Object", null);
        cw.newMethod("java/lang/System", "exit", "(I)V", false);
        cw.visitEnd();
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Pool.class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
        assertEquals(List.of("evil.Pool.<constant pool> references java/lang/System.exit(I)V"
                + " (forbidden: System/Runtime)"), f);
    }

    @Test
    void anInvokedynamicWithAForeignBootstrapIsRefused() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Indy", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "step", "()Ljava/lang/Object;",
                null, null);
        mv.visitCode();
        Handle bsm = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps", "invoke",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
                        + "Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;", false);
        mv.visitInvokeDynamicInsn("x", "()Ljava/lang/Object;", bsm);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Indy.class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
        assertTrue(f.get(0).startsWith("evil.Indy.step(..) references invokedynamic bootstrap"
                + " java/lang/invoke/ConstantBootstraps.invoke("), f.toString());
        assertTrue(f.get(0).endsWith("(forbidden: reflection)"), f.toString());
    }

    @Test
    void aClassFileNamedForAnotherClassAndGarbageAreRefused() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Other", null, "java/lang/Object", null);
        cw.visitEnd();
        List<BytecodeFinding> f = admission.check(PackFiles.of("test", "evil/", Map.of(
                "evil/Named.class", cw.toByteArray(), "evil/Junk.class", new byte[] {1, 2, 3})));
        assertEquals(2, f.size(), f.toString());
        assertTrue(f.stream().anyMatch(x -> x.category().startsWith("unreadable class file")), f.toString());
        assertTrue(f.stream().anyMatch(x -> x.category().contains("defines another class")), f.toString());
    }

    @Test
    void denyWinsOverAnAllowedPackageAndRulesAreConfigurable() {
        AdmissionRules rules = AdmissionRules.jdkAndAgentApi();
        assertTrue(rules.typeProblem("java/util/ArrayList").isEmpty());
        assertEquals("randomness", rules.typeProblem("java/util/Random").orElseThrow());
        assertEquals("threads", rules.typeProblem("java/util/concurrent/CompletableFuture").orElseThrow());
        assertEquals("not on the allow-list", rules.typeProblem("java/util/logging/Logger").orElseThrow());
        assertEquals("Nexus internals (not on the allow-list)",
                rules.typeProblem("org/nexusswarm/actors/protocol/Deliver").orElseThrow());
        AdmissionRules extended = rules.toBuilder().allowClass("org.nexusswarm.orchestrators.ComputeRequest").build();
        assertTrue(extended.typeProblem("org/nexusswarm/orchestrators/ComputeRequest").isEmpty());
        assertTrue(extended.typeProblem("org/nexusswarm/orchestrators/ComputeRequest$Kind").isEmpty());
        assertFalse(extended.typeProblem("org/nexusswarm/orchestrators/ComputeRequestX").isEmpty());
        AdmissionRules denied = extended.toBuilder().deny("java.util.ArrayList", "test").build();
        assertEquals("test", denied.typeProblem("java/util/ArrayList").orElseThrow());
    }

    @Test
    void aFormatterThatWouldWriteAFileIsRefused() {
        // Found by review: java.util is allowed as a package, and new Formatter(fileName) creates and writes files.
        refused("redteam.packs.formatter.FormatterLogic", "redteam.packs.formatter.FormatterLogic.step(..) references"
                + " java/util/Formatter (forbidden: files/network)");
    }

    @Test
    void staticStateSharedBetweenEntitiesIsRefused() {
        // Found by review: one entity writes a static map, another reads it (no envelope, journal or provenance).
        List<String> f = findings("redteam.packs.staticchannel.StaticChannelLogic");
        assertTrue(f.contains("redteam.packs.staticchannel.StaticChannelLogic.counter references static field counter"
                + " (not final) (forbidden: shared mutable state)"), String.join("\n", f));
        assertTrue(f.contains("redteam.packs.staticchannel.StaticChannelLogic.leak(..) references a write to static"
                + " field redteam.packs.staticchannel.StaticChannelLogic.counter (forbidden: shared mutable state)"),
                String.join("\n", f));
        assertTrue(f.contains("redteam.packs.staticchannel.StaticChannelLogic.<clinit>(..) references static field"
                + " MAILBOX holding a HashMap (forbidden: shared mutable state)"), String.join("\n", f));
    }

    @Test
    void aParallelStreamByAnotherNameIsRefused() {
        refused("redteam.packs.parallel.ParallelLogic", "redteam.packs.parallel.ParallelLogic.threads(..) references"
                + " java/util/stream/StreamSupport.stream(Ljava/util/Spliterator;Z)Ljava/util/stream/Stream;"
                + " (forbidden: threads)");
    }

    // ---- denied JDK members reached through another owner (found by review)

    @Test
    void aDeniedMemberNamedThroughASubtypeOrThePacksOwnClassIsRefused() {
        String c = "redteam.packs.inherited.InheritedLogic";
        refused(c, c + ".hostZone(..) references java/time/ZoneOffset.systemDefault()Ljava/time/ZoneId;"
                + " (inherited from java/time/ZoneId) (forbidden: clock)");
        refused(c, c + ".stderr(..) references redteam/packs/inherited/InheritedLogic$Leak.printStackTrace()V"
                + " (inherited from java/lang/Throwable) (forbidden: files/network)");
        refused(c, c + ".hostTimeZone(..) references java/util/SimpleTimeZone.getDefault()Ljava/util/TimeZone;"
                + " (inherited from java/util/TimeZone) (forbidden: clock)");
        // The pack's own exception is a legal subclass: only the inherited call is refused.
        assertTrue(findings(c).stream().noneMatch(f -> f.contains("<class>")), findings(c).toString());
    }

    @Test
    void aPackChronologyReadingTheWallClockThroughAnInheritedDefaultIsRefused() {
        String c = "redteam.packs.chrono.ChronoClockLogic";
        List<String> f = findings(c);
        assertEquals(c + ".<class> references superclass java/time/chrono/AbstractChronology (forbidden: "
                + AdmissionRules.SUPERCLASSES + ")", f.get(0), String.join("\n", f));
        refused(c, c + ".epochDayToday(..) references redteam/packs/chrono/ChronoClockLogic.dateNow()"
                + "Ljava/time/chrono/ChronoLocalDate; (inherited from java/time/chrono/Chronology) (forbidden: clock)");
    }

    private List<String> header(String name, String superName, String... interfaces) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/" + name, null, superName, interfaces);
        cw.visitEnd();
        return admission.check(PackFiles.of("test", "evil/", Map.of("evil/" + name + ".class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
    }

    @Test
    void aPackClassExtendsOnlyObjectRecordEnumAnExceptionOrAPackClass() {
        assertEquals(List.of("evil.Loader.<class> references superclass java/lang/ClassLoader (forbidden: class loading; "
                + AdmissionRules.SUPERCLASSES + ")"), header("Loader", "java/lang/ClassLoader"));
        assertEquals(List.of("evil.Runner.<class> references superclass java/lang/Thread (forbidden: threads; "
                + AdmissionRules.SUPERCLASSES + ")"), header("Runner", "java/lang/Thread"));
        assertEquals(List.of("evil.In.<class> references superclass java/io/InputStream (forbidden: files/network; "
                + AdmissionRules.SUPERCLASSES + ")"), header("In", "java/io/InputStream"));
        // Allowed by the allow-list as a type, still no superclass: its protected members and JDK callers.
        assertEquals(List.of("evil.Chrono.<class> references interface java/time/chrono/Chronology (forbidden: "
                + AdmissionRules.INTERFACES + ")"), header("Chrono", "java/lang/Object", "java/time/chrono/Chronology"));
        assertEquals(List.of("evil.Bag.<class> references superclass java/util/AbstractList (forbidden: "
                + AdmissionRules.SUPERCLASSES + ")"), header("Bag", "java/util/AbstractList"));
        // What ordinary pack code needs stays admitted.
        assertEquals(List.of(), header("Bad", "java/lang/IllegalArgumentException"));
        assertEquals(List.of(), header("Fn", "java/lang/Object", "java/util/function/Function",
                "java/lang/Comparable", "org/nexusswarm/actors/spi/AgentLogic"));
    }

    @Test
    void aPackClassMayNotDeclareAFinalizer() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Fin", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PROTECTED, "finalize", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 1);
        mv.visitEnd();
        cw.visitEnd();
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Fin.class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
        assertEquals(List.of("evil.Fin.finalize(..) references a finalizer (forbidden: threads (the JVM's finalizer"
                + " thread runs it, outside any step))"), f);
    }

    // ---- nondeterminism: a replay calls the step again

    @Test
    void identityHashCodesAreRefused() {
        String c = "redteam.packs.nondeterminism.NondeterministicLogic";
        refused(c, c + ".identity(..) references java/lang/System.identityHashCode(Ljava/lang/Object;)I"
                + " (forbidden: System/Runtime)");
        refused(c, c + ".objectHash(..) references java/lang/Object.hashCode()I"
                + " (forbidden: nondeterminism (identity hash code))");
        refused(c, c + ".objectText(..) references java/lang/Object.toString()Ljava/lang/String;"
                + " (forbidden: nondeterminism (identity hash code))");
        // javac names Object for a class that does not override hashCode; an enum's is named through the enum.
        refused(c, c + ".ownHash(..) references java/lang/Object.hashCode()I"
                + " (forbidden: nondeterminism (identity hash code))");
        refused(c, c + ".enumHash(..) references redteam/packs/nondeterminism/NondeterministicLogic$Mode.hashCode()I"
                + " (inherited from java/lang/Enum) (forbidden: nondeterminism (identity hash code))");
    }

    @Test
    void hashOrderedCollectionsAreRefused() {
        String c = "redteam.packs.nondeterminism.NondeterministicLogic";
        String why = " (forbidden: nondeterminism (hash order: identity hash codes differ per run;"
                + " use LinkedHashMap/TreeMap/EnumMap/LinkedHashSet/TreeSet))";
        for (String t : List.of("HashMap", "HashSet", "Hashtable", "IdentityHashMap", "WeakHashMap")) {
            refused(c, c + ".hashOrder(..) references java/util/" + t + ".<init>()V" + why);
        }
        refused(c, c + ".hashOrder(..) references java/util/stream/Collectors.toSet()Ljava/util/stream/Collector;"
                + why);
        refused(c, c + ".hashOrder(..) references java/util/stream/Collectors.groupingByConcurrent("
                + "Ljava/util/function/Function;)Ljava/util/stream/Collector;" + why);
        // The deterministic ones stay allowed (the clean pack builds a TreeMap and an ArrayList).
        assertTrue(AdmissionRules.jdkAndAgentApi().memberProblem("java/util/LinkedHashMap", "<init>", "()V").isEmpty());
    }

    @Test
    void theDefaultLocaleAndTimeZoneAreRefused() {
        String c = "redteam.packs.nondeterminism.NondeterministicLogic";
        String locale = " (forbidden: nondeterminism (default locale; pass Locale.ROOT))";
        refused(c, c + ".locale(..) references java/lang/String.toUpperCase()Ljava/lang/String;" + locale);
        refused(c, c + ".locale(..) references java/lang/String.toLowerCase()Ljava/lang/String;" + locale);
        refused(c, c + ".locale(..) references java/lang/String.format(Ljava/lang/String;[Ljava/lang/Object;)"
                + "Ljava/lang/String;" + locale);
        refused(c, c + ".locale(..) references java/lang/String.formatted([Ljava/lang/Object;)Ljava/lang/String;"
                + locale);
        refused(c, c + ".locale(..) references java/util/Locale.getDefault()Ljava/util/Locale;"
                + " (forbidden: System/Runtime)");
        refused(c, c + ".zone(..) references java/time/format/DateTimeFormatter.ofPattern(Ljava/lang/String;)"
                + "Ljava/time/format/DateTimeFormatter;" + locale);
        refused(c, c + ".zone(..) references java/util/TimeZone.getDefault()Ljava/util/TimeZone; (forbidden: clock)");
        refused(c, c + ".zone(..) references java/time/ZoneId.systemDefault()Ljava/time/ZoneId; (forbidden: clock)");
        refused(c, c + ".zone(..) references java/time/Clock.systemDefaultZone()Ljava/time/Clock; (forbidden: clock)");
        refused(c, c + ".number(..) references java/text/NumberFormat.getInstance()Ljava/text/NumberFormat;"
                + " (forbidden: not on the allow-list)");
        refused(c, c + ".date(..) references java/util/Date (forbidden: nondeterminism (default time zone;"
                + " use java.time with a ZoneOffset))");
    }

    // ---- static finals holding state every entity shares

    @Test
    void aStaticFinalHoldingAMutablePackObjectOrAHelpersCollectionIsRefused() {
        String c = "redteam.packs.staticmutable.StaticMutableLogic";
        String shared = " (forbidden: shared mutable state)";
        String at = c + ".<clinit>(..) references static field ";
        refused(c, at + "BOX holding a Box (its field value is not final)" + shared);
        refused(c, at + "HOLDER holding a Holder (its field items holds a value passed in as an argument (copy it"
                + " with List.copyOf/Set.copyOf/Map.copyOf where it is stored))" + shared);
        refused(c, at + "DEEP holding a Deep (its field box holds a Box (its field value is not final))" + shared);
        refused(c, at + "MADE holding what Helper.make() returns (a List)" + shared);
        refused(c, at + "CAPTURED holding a lambda capturing an ArrayList" + shared);
        refused(c, at + "ERROR holding a RuntimeException" + shared);
    }

    @Test
    void anEnumWithStateThatCanChangeIsRefused() {
        String c = "redteam.packs.staticmutable.StaticMutableLogic";
        refused(c, c + "$Counter.count references enum field count (not final: an enum constant is one object every"
                + " entity of the pack shares) (forbidden: shared mutable state)");
        refused(c, c + "$Tagged.tags references enum field tags holding a value passed in as an argument (copy it"
                + " with List.copyOf/Set.copyOf/Map.copyOf where it is stored) (forbidden: shared mutable state)");
    }

    @Test
    void aGenericSignatureThatMisstatesTheElementsOfAStaticListIsNotBelieved() {
        // Hand-written bytecode: the signature says List<String>, the elements are StringBuilders (erasure allows it).
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "evil/Lie", null, "java/lang/Object", null);
        String sig = "Ljava/util/List<Ljava/lang/String;>;";
        cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "ONE", "Ljava/util/List;", sig, null).visitEnd();
        cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "MANY", "Ljava/util/List;", sig, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/List", "of", "(Ljava/lang/Object;)Ljava/util/List;", true);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, "evil/Lie", "ONE", "Ljava/util/List;");
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitLdcInsn("fine");
        mv.visitInsn(Opcodes.AASTORE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        mv.visitInsn(Opcodes.AASTORE);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/List", "of", "([Ljava/lang/Object;)Ljava/util/List;", true);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, "evil/Lie", "MANY", "Ljava/util/List;");
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Lie.class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
        assertEquals(List.of("evil.Lie.<clinit>(..) references static field ONE holding a collection holding a"
                + " StringBuilder (forbidden: shared mutable state)", "evil.Lie.<clinit>(..) references static field"
                + " MANY holding a collection holding a StringBuilder (forbidden: shared mutable state)"), f);
    }

    @Test
    void anArraysIdentityHashCodeIsRefused() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Arr", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "step", "([I[Ljava/lang/String;)I",
                null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "[I", "hashCode", "()I", false);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "[Ljava/lang/String;", "hashCode", "()I", false);
        mv.visitInsn(Opcodes.IADD);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Arr.class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
        String why = " (inherited from java/lang/Object) (forbidden: nondeterminism (identity hash code))";
        assertEquals(List.of("evil.Arr.step(..) references [I.hashCode()I" + why,
                "evil.Arr.step(..) references [Ljava/lang/String;.hashCode()I" + why), f);
    }

    @Test
    void javacsOwnSyntheticArraysAreReadOnly() {
        // Hand-written: a synthetic "$SwitchMap$" int[] (exempt from the static-final rule as javac's own) used as a
        // channel: one method writes into it, another hands it to Arrays.fill.
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "evil/Map1", null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, "$SwitchMap$x", "[I", null, null)
                .visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, "evil/Map1", "$SwitchMap$x", "[I");
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "write", "(I)V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, "evil/Map1", "$SwitchMap$x", "[I");
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitInsn(Opcodes.IASTORE);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "fill", "(I)V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(Opcodes.GETSTATIC, "evil/Map1", "$SwitchMap$x", "[I");
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Arrays", "fill", "([II)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        List<String> f = admission.check(PackFiles.of("test", "evil/", Map.of("evil/Map1.class", cw.toByteArray())))
                .stream().map(BytecodeFinding::describe).toList();
        String why = " references javac's array evil.Map1.$SwitchMap$x written or handed on"
                + " (forbidden: shared mutable state)";
        assertEquals(List.of("evil.Map1.write(..)" + why, "evil.Map1.fill(..)" + why), f);
    }
}
