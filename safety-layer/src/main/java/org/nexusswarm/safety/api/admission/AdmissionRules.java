package org.nexusswarm.safety.api.admission;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a pack's classes may reference: an allow-list of exact classes and packages, and a deny-list that wins
 * over it (checked by type, and by member where a type is allowed but some of its members reach the world).
 *
 * <p>Names are JVM internal names ({@code java/lang/String}). An allowed or denied <em>class</em> covers its nested
 * classes ({@code java/util/Map} covers {@code java/util/Map$Entry}); an allowed <em>package</em> covers only
 * the classes directly in it; an allowed <em>package tree</em> covers its sub-packages as well. A denied name
 * ending in {@code /} is a package tree; any other denied name is a class with its nested classes.
 *
 * <p>{@link #jdkAndAgentApi()} is the default list (see its javadoc for every entry); callers add what their
 * packs may use (the packs module adds its SPI and the payload types of the modules under it) with
 * {@link #toBuilder()}. Every refusal names a category so an operator reads why, e.g. {@code System/Runtime}.
 */
public final class AdmissionRules {

    /** Category used for a type or member that is simply not on the allow-list. */
    public static final String NOT_ALLOWED = "not on the allow-list";

    public static final String REFLECTION = "reflection";
    public static final String CLASS_LOADING = "class loading";
    public static final String THREADS = "threads";
    public static final String FILES_NETWORK = "files/network";
    public static final String SYSTEM_RUNTIME = "System/Runtime";
    public static final String RANDOMNESS = "randomness";
    public static final String CLOCK = "clock";
    public static final String UNSAFE = "Unsafe/JDK internals";
    public static final String PEKKO = "Pekko/Scala";
    public static final String KEYS = "keys/crypto";
    public static final String NEXUS_INTERNALS = "Nexus internals";
    public static final String SERIALIZATION = "serialization";
    /** Static state every entity of a pack would share in one JVM (see BytecodeAdmission). */
    public static final String SHARED_STATE = "shared mutable state";
    /** A step must give the same answer when a replay calls it again (another JVM, locale, time zone). */
    public static final String NONDETERMINISM = "nondeterminism";
    public static final String SUPERCLASSES = "a pack class may extend only Object, Record, Enum, a JDK exception,"
            + " a pack class or an API class";
    public static final String INTERFACES = "a pack class may implement only the agent API, pack interfaces,"
            + " Comparable, Comparator, Iterable, Iterator, Runnable, AutoCloseable and java.util.function";
    private static final String HASH_ORDER = NONDETERMINISM + " (hash order: identity hash codes differ per run;"
            + " use LinkedHashMap/TreeMap/EnumMap/LinkedHashSet/TreeSet)";
    private static final String IDENTITY_HASH = NONDETERMINISM + " (identity hash code)";
    private static final String DEFAULT_LOCALE = NONDETERMINISM + " (default locale; pass Locale.ROOT)";
    private static final String DEFAULT_ZONE = NONDETERMINISM + " (default time zone; use java.time with a ZoneOffset)";

    /** A denied type (member null) or member (name, optionally one descriptor) with its category. */
    record Denial(String owner, String member, String descriptor, String category) {
        boolean coversType(String type) {
            return member == null && matches(owner, type);
        }

        boolean coversMember(String type, String name, String desc) {
            return member != null && matches(owner, type) && member.equals(name)
                    && (descriptor == null || descriptor.equals(desc));
        }
    }

    private final Set<String> classes;
    private final Set<String> packages;
    private final Set<String> packageTrees;
    private final List<Denial> denials;
    /** Types allowed only for some members: owner to the allowed member names, and the category otherwise. */
    private final Map<String, Set<String>> memberAllowLists;
    private final Map<String, String> memberAllowListCategories;
    private final Set<String> bootstraps;
    /** JDK classes and packages a pack class may extend or implement (names as in {@link #denials}). */
    private final Set<String> supertypes;

    private AdmissionRules(Builder b) {
        this.supertypes = Set.copyOf(b.supertypes);
        this.classes = Set.copyOf(b.classes);
        this.packages = Set.copyOf(b.packages);
        this.packageTrees = Set.copyOf(b.packageTrees);
        this.denials = List.copyOf(b.denials);
        this.memberAllowLists = Map.copyOf(b.memberAllowLists);
        this.memberAllowListCategories = Map.copyOf(b.memberAllowListCategories);
        this.bootstraps = Set.copyOf(b.bootstraps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these rules, to extend them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.classes.addAll(classes);
        b.packages.addAll(packages);
        b.packageTrees.addAll(packageTrees);
        b.denials.addAll(denials);
        memberAllowLists.forEach((k, v) -> b.memberAllowLists.put(k, new LinkedHashSet<>(v)));
        b.memberAllowListCategories.putAll(memberAllowListCategories);
        b.bootstraps.addAll(bootstraps);
        b.supertypes.addAll(supertypes);
        return b;
    }

    /**
     * The default rules: plain JDK value types and collections, and the agent API.
     *
     * <p>Allowed: in {@code java.lang} exactly Object, String, StringBuilder, CharSequence, Comparable, Iterable,
     * AutoCloseable, Cloneable, Runnable, Record, Enum, Math, StrictMath, Number and the boxed primitives, Void,
     * Throwable and the common unchecked exceptions, AssertionError, NoSuchFieldError (javac's enum switch maps),
     * the annotations javac emits, and {@code Class} for its name and type tests only ({@code getName},
     * {@code getSimpleName}, {@code isInstance}, {@code cast}, ...: class literals appear in enum code);
     * {@code java.lang.annotation}; {@code java.util} (the package itself: collections, Optional, Objects,
     * Arrays, ...), {@code java.util.function}, {@code java.util.stream}, {@code java.util.regex};
     * {@code java.time} and its sub-packages; {@code java.math}; the bootstraps javac emits for lambdas and method
     * references ({@code LambdaMetafactory}), string concatenation ({@code StringConcatFactory}) and records
     * ({@code ObjectMethods}); the agent API: the package {@code org.nexusswarm.actors.spi},
     * {@code org.nexusswarm.actors.entity.EntityAddress} and {@code EntityKind}, and
     * {@code org.nexusswarm.actors.SwarmMessage}.
     *
     * <p>Denied even where the above allows (deny wins): reflection ({@code java.lang.reflect},
     * {@code java.lang.invoke} other than the three bootstraps, {@code Class.forName}, {@code getDeclared*},
     * {@code newInstance}, ...), class loading ({@code ClassLoader}, {@code ServiceLoader}, {@code Module},
     * {@code ResourceBundle}, {@code Class.getResource*}), threads ({@code Thread}, {@code ThreadLocal},
     * {@code java.util.concurrent} with {@code CompletableFuture}, executors and {@code ForkJoinPool},
     * {@code Timer}, {@code Object.wait/notify}, parallel streams, {@code Stream.onClose} and {@code Arrays.parallel*}), files and network
     * ({@code java.io}, {@code java.nio.file}, {@code java.nio.channels}, {@code java.net}), System/Runtime
     * ({@code System}, {@code Runtime}, processes, {@code Integer.getInteger}-style property reads), randomness
     * ({@code Random}, {@code SecureRandom}, the unseeded {@code SplittableRandom()}, {@code ThreadLocalRandom},
     * {@code Math.random}, {@code UUID.randomUUID}, {@code Collections.shuffle(List)}), clocks ({@code Clock},
     * {@code InstantSource}, every {@code now(..)}, {@code new Date()}, {@code Calendar}, default time zone and
     * locale), {@code sun.*}/{@code jdk.*}/{@code com.sun.*} (Unsafe), Pekko and Scala, keys and crypto
     * ({@code java.security}, {@code javax.crypto}, Bouncy Castle, {@code org.nexusswarm.actors.identity}),
     * serialization (Kryo, {@code org.nexusswarm.actors.serialization}) and Nexus internals
     * ({@code org.nexusswarm.safety}, {@code org.nexusswarm.memory}, {@code org.nexusswarm.coordinator}).
     * Anything else is refused as not on the allow-list.
     */
    public static AdmissionRules jdkAndAgentApi() {
        Builder b = new Builder();
        for (String c : List.of("Object", "String", "StringBuilder", "CharSequence", "Comparable", "Iterable",
                "AutoCloseable", "Cloneable", "Runnable", "Record", "Enum", "Math", "StrictMath", "Number", "Boolean",
                "Byte", "Short", "Character", "Integer", "Long", "Float", "Double", "Void", "Throwable", "Exception",
                "RuntimeException", "Error", "AssertionError", "IllegalArgumentException", "IllegalStateException",
                "NullPointerException", "UnsupportedOperationException", "ArithmeticException",
                "IndexOutOfBoundsException", "ArrayIndexOutOfBoundsException", "StringIndexOutOfBoundsException",
                "ClassCastException", "NumberFormatException", "CloneNotSupportedException", "NoSuchFieldError",
                "Override", "Deprecated", "FunctionalInterface", "SafeVarargs", "SuppressWarnings", "Class")) {
            b.allowClass("java/lang/" + c);
        }
        b.allowOnlyMembers("java/lang/Class", REFLECTION, "getName", "getSimpleName", "getTypeName", "isInstance",
                "cast", "desiredAssertionStatus", "equals", "hashCode", "toString", "isArray", "isEnum", "isRecord",
                "isInterface", "isPrimitive");
        b.allowPackageTree("java/lang/annotation/");
        b.allowPackage("java/util/");
        b.allowPackage("java/util/function/");
        b.allowPackage("java/util/stream/");
        b.allowPackage("java/util/regex/");
        b.allowPackageTree("java/time/");
        b.allowPackage("java/math/");
        b.allowBootstrap("java/lang/invoke/LambdaMetafactory", "metafactory");
        b.allowBootstrap("java/lang/invoke/LambdaMetafactory", "altMetafactory");
        b.allowBootstrap("java/lang/invoke/StringConcatFactory", "makeConcatWithConstants");
        b.allowBootstrap("java/lang/invoke/StringConcatFactory", "makeConcat");
        b.allowBootstrap("java/lang/runtime/ObjectMethods", "bootstrap");
        b.allowPackage("org/nexusswarm/actors/spi/");
        b.allowClass("org/nexusswarm/actors/entity/EntityAddress");
        b.allowClass("org/nexusswarm/actors/entity/EntityKind");
        b.allowClass("org/nexusswarm/actors/SwarmMessage");
        for (String t : List.of("java/lang/Object", "java/lang/Record", "java/lang/Enum", "java/lang/Comparable",
                "java/lang/Iterable", "java/lang/AutoCloseable", "java/lang/Runnable", "java/lang/Cloneable",
                "java/lang/annotation/Annotation", "java/util/Comparator", "java/util/Iterator",
                "java/util/function/")) {
            b.allowSupertype(t);
        }

        // Nondeterminism: a replay calls the step again, in another JVM, maybe with another locale or zone.
        b.denyMember("java/lang/Object", "hashCode", "()I", IDENTITY_HASH);
        b.denyMember("java/lang/Object", "toString", "()Ljava/lang/String;", IDENTITY_HASH);
        // Enum.hashCode is final and is Object's identity hash.
        b.denyMember("java/lang/Enum", "hashCode", "()I", IDENTITY_HASH);
        for (String c : List.of("HashMap", "HashSet", "Hashtable", "IdentityHashMap", "WeakHashMap", "Properties")) {
            b.denyMember("java/util/" + c, "<init>", null, HASH_ORDER);
        }
        // The collectors that build a HashMap/HashSet; toCollection/toMap/groupingBy with a factory remain.
        String f = "Ljava/util/function/Function;";
        String collector = "Ljava/util/stream/Collector;";
        b.denyMember("java/util/stream/Collectors", "toSet", null, HASH_ORDER);
        b.denyMember("java/util/stream/Collectors", "toMap", "(" + f + f + ")" + collector, HASH_ORDER);
        b.denyMember("java/util/stream/Collectors", "toMap", "(" + f + f + "Ljava/util/function/BinaryOperator;)"
                + collector, HASH_ORDER);
        b.denyMember("java/util/stream/Collectors", "groupingBy", "(" + f + ")" + collector, HASH_ORDER);
        b.denyMember("java/util/stream/Collectors", "groupingBy", "(" + f + collector + ")" + collector, HASH_ORDER);
        // A ConcurrentHashMap under a descriptor that names only Collector.
        b.denyMember("java/util/stream/Collectors", "groupingByConcurrent", null, HASH_ORDER);
        b.denyMember("java/util/stream/Collectors", "toConcurrentMap", null, HASH_ORDER);
        // The JVM-wide string pool: compared with ==, intern() lets entities (even of two packs) exchange bits
        // on one node with nothing journaled, and a replay elsewhere reads other bits.
        b.denyMember("java/lang/String", "intern", "()Ljava/lang/String;", SHARED_STATE + "/" + NONDETERMINISM);
        b.denyMember("java/lang/String", "toUpperCase", "()Ljava/lang/String;", DEFAULT_LOCALE);
        b.denyMember("java/lang/String", "toLowerCase", "()Ljava/lang/String;", DEFAULT_LOCALE);
        b.denyMember("java/lang/String", "format", "(Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/String;",
                DEFAULT_LOCALE);
        b.denyMember("java/lang/String", "formatted", null, DEFAULT_LOCALE);
        for (String m : List.of("getDisplayName", "getDisplayLanguage", "getDisplayCountry", "getDisplayVariant",
                "getDisplayScript")) {
            b.denyMember("java/util/Locale", m, "()Ljava/lang/String;", DEFAULT_LOCALE);
        }
        b.denyMember("java/util/Currency", "getSymbol", "()Ljava/lang/String;", DEFAULT_LOCALE);
        b.denyMember("java/util/Currency", "getDisplayName", "()Ljava/lang/String;", DEFAULT_LOCALE);
        b.denyMember("java/util/TimeZone", "getDisplayName", "()Ljava/lang/String;", DEFAULT_LOCALE);
        b.denyMember("java/util/TimeZone", "getDisplayName", "(ZI)Ljava/lang/String;", DEFAULT_LOCALE);
        b.denyMember("java/time/format/DateTimeFormatter", "ofPattern",
                "(Ljava/lang/String;)Ljava/time/format/DateTimeFormatter;", DEFAULT_LOCALE);
        for (String m : List.of("ofLocalizedDate", "ofLocalizedTime", "ofLocalizedDateTime")) {
            b.denyMember("java/time/format/DateTimeFormatter", m, null, DEFAULT_LOCALE);
        }
        b.denyMember("java/time/format/DateTimeFormatterBuilder", "toFormatter",
                "()Ljava/time/format/DateTimeFormatter;", DEFAULT_LOCALE);
        b.denyMember("java/time/format/DecimalStyle", "ofDefaultLocale", null, DEFAULT_LOCALE);

        // Specific member denials first: the first matching denial names the category.
        b.denyMember("java/lang/Class", "forName", null, REFLECTION + "/" + CLASS_LOADING);
        for (String m : List.of("getClassLoader", "getResource", "getResourceAsStream", "getModule",
                "getProtectionDomain", "getPackage")) {
            b.denyMember("java/lang/Class", m, null, CLASS_LOADING);
        }
        for (String m : List.of("wait", "notify", "notifyAll")) {
            b.denyMember("java/lang/Object", m, null, THREADS);
        }
        b.denyMember("java/lang/Throwable", "printStackTrace", null, FILES_NETWORK);
        b.denyMember("java/lang/Math", "random", null, RANDOMNESS);
        b.denyMember("java/lang/StrictMath", "random", null, RANDOMNESS);
        b.denyMember("java/util/UUID", "randomUUID", null, RANDOMNESS);
        b.denyMember("java/util/Collections", "shuffle", "(Ljava/util/List;)V", RANDOMNESS);
        b.denyMember("java/lang/Integer", "getInteger", null, SYSTEM_RUNTIME);
        b.denyMember("java/lang/Long", "getLong", null, SYSTEM_RUNTIME);
        b.denyMember("java/lang/Boolean", "getBoolean", null, SYSTEM_RUNTIME);
        b.denyMember("java/util/", "parallelStream", null, THREADS);
        b.denyMember("java/util/stream/", "parallel", null, THREADS);
        // Close actions run under the JDK's catch (Throwable), which swallows a stop thrown in any but the first
        // (Streams.composeWithExceptions): N spinning actions outlive N stops (red team, session 4).
        b.denyMember("java/util/stream/", "onClose", null, THREADS + " (close actions swallow the watchdog's stop)");
        // StreamSupport.stream(spliterator, true) is a parallel stream by another name (found by review).
        b.deny("java/util/stream/StreamSupport", THREADS);
        for (String m : List.of("parallelSort", "parallelPrefix", "parallelSetAll")) {
            b.denyMember("java/util/Arrays", m, null, THREADS);
        }
        b.denyMember("java/time/", "now", null, CLOCK);
        b.denyMember("java/time/chrono/", "dateNow", null, CLOCK);
        b.denyMember("java/time/ZoneId", "systemDefault", null, CLOCK);
        b.denyMember("java/util/Date", "<init>", "()V", CLOCK);
        for (String m : List.of("getDefault", "setDefault")) {
            b.denyMember("java/util/TimeZone", m, null, CLOCK);
            b.denyMember("java/util/Locale", m, null, SYSTEM_RUNTIME);
        }

        b.deny("java/lang/reflect/", REFLECTION);
        b.deny("java/lang/invoke/", REFLECTION);
        b.deny("java/lang/ClassLoader", CLASS_LOADING);
        b.deny("java/util/ServiceLoader", CLASS_LOADING);
        b.deny("java/util/ResourceBundle", CLASS_LOADING);
        b.deny("java/lang/Module", CLASS_LOADING);
        b.deny("java/lang/ModuleLayer", CLASS_LOADING);
        b.deny("java/lang/Package", CLASS_LOADING);
        b.deny("java/lang/instrument/", CLASS_LOADING);
        b.deny("java/time/zone/", CLASS_LOADING);
        b.deny("java/lang/Thread", THREADS);
        b.deny("java/lang/ThreadGroup", THREADS);
        b.deny("java/lang/ThreadLocal", THREADS);
        b.deny("java/lang/InheritableThreadLocal", THREADS);
        b.deny("java/util/concurrent/ThreadLocalRandom", RANDOMNESS);
        b.deny("java/util/concurrent/", THREADS);
        b.deny("java/util/Timer", THREADS);
        b.deny("java/util/TimerTask", THREADS);
        b.deny("java/io/", FILES_NETWORK);
        b.deny("java/nio/file/", FILES_NETWORK);
        b.deny("java/nio/channels/", FILES_NETWORK);
        b.deny("java/net/", FILES_NETWORK);
        b.deny("javax/net/", FILES_NETWORK);
        // java.util is allowed as a package, but these of its classes reach files (Formatter(String fileName),
        // Scanner over files and streams) or load resources (the ResourceBundle family's static getBundle).
        b.deny("java/util/Formatter", FILES_NETWORK);
        b.deny("java/util/Scanner", FILES_NETWORK);
        b.deny("java/util/PropertyResourceBundle", CLASS_LOADING);
        b.deny("java/util/ListResourceBundle", CLASS_LOADING);
        b.deny("java/lang/System", SYSTEM_RUNTIME);
        b.deny("java/lang/Runtime", SYSTEM_RUNTIME);
        b.deny("java/lang/Process", SYSTEM_RUNTIME);
        b.deny("java/lang/ProcessBuilder", SYSTEM_RUNTIME);
        b.deny("java/lang/ProcessHandle", SYSTEM_RUNTIME);
        b.deny("java/lang/SecurityManager", SYSTEM_RUNTIME);
        b.deny("java/lang/StackWalker", SYSTEM_RUNTIME);
        b.deny("java/util/Random", RANDOMNESS);
        // A seeded SplittableRandom is a deterministic function of its seed (replays draw the same values); only
        // the unseeded constructor, which draws its seed from a global generator, is randomness.
        b.denyMember("java/util/SplittableRandom", "<init>", "()V", RANDOMNESS);
        b.deny("java/util/random/", RANDOMNESS);
        b.deny("java/security/SecureRandom", RANDOMNESS);
        b.deny("java/time/Clock", CLOCK);
        b.deny("java/time/InstantSource", CLOCK);
        b.deny("java/util/Calendar", CLOCK);
        // Date's toString, getHours, its year/month/day constructors... read the default time zone.
        b.deny("java/util/Date", DEFAULT_ZONE);
        b.deny("java/util/GregorianCalendar", CLOCK);
        b.deny("sun/", UNSAFE);
        b.deny("jdk/", UNSAFE);
        b.deny("com/sun/", UNSAFE);
        b.deny("org/apache/pekko/", PEKKO);
        b.deny("scala/", PEKKO);
        b.deny("akka/", PEKKO);
        b.deny("java/security/", KEYS);
        b.deny("javax/crypto/", KEYS);
        b.deny("org/bouncycastle/", KEYS);
        b.deny("org/nexusswarm/actors/identity/", KEYS);
        b.deny("com/esotericsoftware/", SERIALIZATION);
        b.deny("org/nexusswarm/actors/serialization/", SERIALIZATION);
        b.deny("org/nexusswarm/safety/", NEXUS_INTERNALS);
        b.deny("org/nexusswarm/memory/", NEXUS_INTERNALS);
        b.deny("org/nexusswarm/coordinator/", NEXUS_INTERNALS);
        return b.build();
    }

    /** Why {@code type} (an internal name) may not be referenced, or empty when it may. */
    public Optional<String> typeProblem(String type) {
        for (Denial d : denials) {
            if (d.coversType(type)) {
                return Optional.of(d.category());
            }
        }
        if (allowed(type)) {
            return Optional.empty();
        }
        return Optional.of(type.startsWith("org/nexusswarm/") ? NEXUS_INTERNALS + " (" + NOT_ALLOWED + ")"
                : NOT_ALLOWED);
    }

    /**
     * Why member {@code name} (descriptor {@code desc}) of {@code owner} may not be used, or empty when it may;
     * the owner type itself is checked separately (see {@link #typeProblem}).
     */
    public Optional<String> memberProblem(String owner, String name, String desc) {
        for (Denial d : denials) {
            if (d.coversMember(owner, name, desc)) {
                return Optional.of(d.category());
            }
        }
        Set<String> only = memberAllowLists.get(owner);
        if (only != null && !only.contains(name)) {
            return Optional.of(memberAllowListCategories.get(owner));
        }
        return Optional.empty();
    }

    /**
     * True when a pack class may extend or implement {@code type}: an allowed type that is either on the supertype
     * list ({@link Builder#allowSupertype}) or no JDK type (the agent API and what callers added). Exceptions are
     * decided by the caller, which knows the hierarchy.
     */
    public boolean allowsSupertype(String type) {
        if (typeProblem(type).isPresent()) {
            return false;
        }
        boolean jdk = type.startsWith("java/") || type.startsWith("javax/");
        return !jdk || supertypes.stream().anyMatch(s -> matches(s, type));
    }

    /** True when {@code owner.name} is an invokedynamic bootstrap method javac emits and this list allows. */
    public boolean allowsBootstrap(String owner, String name) {
        return bootstraps.contains(owner + "." + name);
    }

    private boolean allowed(String type) {
        String outer = type.indexOf('$') > 0 ? type.substring(0, type.indexOf('$')) : type;
        if (classes.contains(type) || classes.contains(outer)) {
            return true;
        }
        int slash = type.lastIndexOf('/');
        String pkg = slash < 0 ? "" : type.substring(0, slash + 1);
        if (packages.contains(pkg)) {
            return true;
        }
        for (String tree : packageTrees) {
            if (pkg.startsWith(tree)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String rule, String type) {
        if (rule.endsWith("/")) {
            return type.startsWith(rule);
        }
        return type.equals(rule) || type.startsWith(rule + "$");
    }

    /** Builds rules; names are internal ({@code java/lang/String}) or binary ({@code java.lang.String}). */
    public static final class Builder {
        private final Set<String> classes = new LinkedHashSet<>();
        private final Set<String> packages = new LinkedHashSet<>();
        private final Set<String> packageTrees = new LinkedHashSet<>();
        private final List<Denial> denials = new ArrayList<>();
        private final Map<String, Set<String>> memberAllowLists = new LinkedHashMap<>();
        private final Map<String, String> memberAllowListCategories = new LinkedHashMap<>();
        private final Set<String> bootstraps = new LinkedHashSet<>();
        private final Set<String> supertypes = new LinkedHashSet<>();

        private Builder() {}

        /** Lets a pack class extend or implement a JDK class (with its nested classes) or package tree ('/'). */
        public Builder allowSupertype(String name) {
            supertypes.add(name.endsWith(".") || name.endsWith("/") ? pkg(name) : internal(name));
            return this;
        }

        /** Allows one class and its nested classes. */
        public Builder allowClass(String name) {
            classes.add(internal(name));
            return this;
        }

        /** Allows the classes directly in a package (not its sub-packages). */
        public Builder allowPackage(String name) {
            packages.add(pkg(name));
            return this;
        }

        /** Allows a package and all its sub-packages. */
        public Builder allowPackageTree(String name) {
            packageTrees.add(pkg(name));
            return this;
        }

        /** Allows only the named members of an (allowed) class; any other member is refused as {@code category}. */
        public Builder allowOnlyMembers(String owner, String category, String... members) {
            memberAllowLists.computeIfAbsent(internal(owner), k -> new LinkedHashSet<>()).addAll(List.of(members));
            memberAllowListCategories.put(internal(owner), category);
            return this;
        }

        public Builder allowBootstrap(String owner, String name) {
            bootstraps.add(internal(owner) + "." + name);
            return this;
        }

        /** Denies a class (with its nested classes), or a package tree when the name ends in '/' or '.'. */
        public Builder deny(String name, String category) {
            denials.add(new Denial(name.endsWith(".") || name.endsWith("/") ? pkg(name) : internal(name), null, null,
                    category));
            return this;
        }

        /**
         * Denies member {@code member} of a class (or of every class of a package tree when {@code owner} ends in
         * '/'), with one descriptor or (null) all of them. Member denials are checked before type denials.
         */
        public Builder denyMember(String owner, String member, String descriptor, String category) {
            String o = owner.endsWith("/") || owner.endsWith(".") ? pkg(owner) : internal(owner);
            // Keep member denials ahead of type denials so the more precise category is reported.
            int at = 0;
            while (at < denials.size() && denials.get(at).member() != null) {
                at++;
            }
            denials.add(at, new Denial(o, member, descriptor, category));
            return this;
        }

        public AdmissionRules build() {
            return new AdmissionRules(this);
        }

        private static String internal(String name) {
            return name.replace('.', '/');
        }

        private static String pkg(String name) {
            String p = internal(name);
            return p.endsWith("/") ? p : p + "/";
        }
    }
}
