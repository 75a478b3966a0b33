package org.nexusswarm.safety.api.admission;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The class hierarchy admission needs to resolve a member reference the way the JVM does (JVMS 5.4.3.2-4): the
 * pack's classes from the pack's own bytes, every other class from its class file as the platform class loader
 * (JDK classes) or the platform's own loader (the agent API) would find it. Nothing is loaded or initialised:
 * class files are read as bytes and parsed with ASM.
 */
final class ClassHierarchy {

    private final Map<String, byte[]> packClasses;
    private final ClassLoader apiLoader;
    private final Map<String, Optional<ClassNode>> cache = new HashMap<>();

    /** @param packClasses the pack's classes by internal name; {@code apiLoader} finds the non-JDK API classes */
    ClassHierarchy(Map<String, byte[]> packClasses, ClassLoader apiLoader) {
        this.packClasses = packClasses;
        this.apiLoader = apiLoader;
    }

    boolean isPack(String type) {
        return packClasses.containsKey(type);
    }

    Set<String> packTypes() {
        return packClasses.keySet();
    }

    static boolean isJdk(String type) {
        return type.startsWith("java/") || type.startsWith("javax/") || type.startsWith("jdk/")
                || type.startsWith("sun/") || type.startsWith("com/sun/");
    }

    /** The class file of {@code type}, with code (a pack class or an API class), or empty when not found. */
    Optional<ClassNode> node(String type) {
        return cache.computeIfAbsent(type, this::read);
    }

    private Optional<ClassNode> read(String type) {
        byte[] bytes = packClasses.get(type);
        if (bytes == null) {
            ClassLoader loader = isJdk(type) ? ClassLoader.getPlatformClassLoader() : apiLoader;
            // Class files are never encapsulated by modules, so the platform loader finds java.base's too.
            try (InputStream in = loader.getResourceAsStream(type + ".class")) {
                if (in == null) {
                    return Optional.empty();
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        try {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return Optional.of(node);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean isInterface(String type) {
        return node(type).map(n -> (n.access & Opcodes.ACC_INTERFACE) != 0).orElse(false);
    }

    /** True when {@code type} is {@code ancestor} or a subclass of it (superclasses only). */
    boolean isSubclassOf(String type, String ancestor) {
        Set<String> seen = new HashSet<>();
        String t = type;
        while (t != null && seen.add(t)) {
            if (t.equals(ancestor)) {
                return true;
            }
            t = node(t).map(n -> n.superName).orElse(null);
        }
        return false;
    }

    /** The pack classes that extend or implement {@code type}, directly or not. */
    List<String> packSubtypes(String type) {
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(type));
        Set<String> seen = new HashSet<>(todo);
        while (!todo.isEmpty()) {
            String t = todo.pop();
            for (String p : packClasses.keySet()) {
                ClassNode n = node(p).orElse(null);
                if (n != null && (t.equals(n.superName) || n.interfaces.contains(t)) && seen.add(p)) {
                    out.add(p);
                    todo.add(p);
                }
            }
        }
        return out;
    }

    /**
     * The class that declares the method {@code owner.name desc} resolves to (JVMS 5.4.3.3/4: the class and its
     * superclasses, then, for an interface, Object's public methods, then the superinterfaces' non-static
     * methods), or empty when the hierarchy cannot be read or holds no such method.
     */
    Optional<String> declaringMethod(String owner, String name, String desc) {
        Optional<ClassNode> start = node(owner);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        boolean iface = (start.get().access & Opcodes.ACC_INTERFACE) != 0;
        if (iface) {
            if (declares(start.get(), name, desc, false)) {
                return Optional.of(owner);
            }
            Optional<ClassNode> object = node("java/lang/Object");
            if (object.isPresent() && object.get().methods.stream().anyMatch(m -> m.name.equals(name)
                    && m.desc.equals(desc) && (m.access & Opcodes.ACC_PUBLIC) != 0
                    && (m.access & Opcodes.ACC_STATIC) == 0)) {
                return Optional.of("java/lang/Object");
            }
            return superinterfaceMethod(List.of(owner), name, desc);
        }
        List<String> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String t = owner;
        while (t != null && seen.add(t)) {
            Optional<ClassNode> n = node(t);
            if (n.isEmpty()) {
                return Optional.empty();
            }
            if (declares(n.get(), name, desc, false)) {
                return Optional.of(t);
            }
            chain.add(t);
            t = n.get().superName;
        }
        return superinterfaceMethod(chain, name, desc);
    }

    private Optional<String> superinterfaceMethod(List<String> from, String name, String desc) {
        Deque<String> todo = new ArrayDeque<>();
        for (String f : from) {
            node(f).ifPresent(n -> todo.addAll(n.interfaces));
        }
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String i = todo.pop();
            if (!seen.add(i)) {
                continue;
            }
            Optional<ClassNode> n = node(i);
            if (n.isEmpty()) {
                continue;
            }
            if (declares(n.get(), name, desc, true)) {
                return Optional.of(i);
            }
            todo.addAll(n.get().interfaces);
        }
        return Optional.empty();
    }

    private static boolean declares(ClassNode n, String name, String desc, boolean inheritedFromInterface) {
        for (MethodNode m : n.methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return !inheritedFromInterface
                        || (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0;
            }
        }
        return false;
    }

    /**
     * The class that declares the field {@code owner.name} resolves to (JVMS 5.4.3.2: the class, its
     * superinterfaces, then its superclass, recursively), or empty when unknown.
     */
    Optional<String> declaringField(String owner, String name, String desc) {
        return declaringField(owner, name, desc, new HashSet<>());
    }

    private Optional<String> declaringField(String type, String name, String desc, Set<String> seen) {
        if (type == null || !seen.add(type)) {
            return Optional.empty();
        }
        Optional<ClassNode> n = node(type);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        for (FieldNode f : n.get().fields) {
            if (f.name.equals(name) && f.desc.equals(desc)) {
                return Optional.of(type);
            }
        }
        for (String i : n.get().interfaces) {
            Optional<String> d = declaringField(i, name, desc, seen);
            if (d.isPresent()) {
                return d;
            }
        }
        return declaringField(n.get().superName, name, desc, seen);
    }

    /** Instance fields of {@code type} by name (its own, not inherited). */
    Map<String, FieldNode> instanceFields(String type) {
        Map<String, FieldNode> out = new LinkedHashMap<>();
        node(type).ifPresent(n -> n.fields.stream().filter(f -> (f.access & Opcodes.ACC_STATIC) == 0)
                .forEach(f -> out.put(f.name, f)));
        return out;
    }
}
