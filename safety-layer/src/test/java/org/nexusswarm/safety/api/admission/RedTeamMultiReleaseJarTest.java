package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Red team (session 4): a pack jar with {@code Multi-Release: true} and {@code META-INF/versions/9/evil/Mr.class}.
 * The class loader (URLClassLoader, like the application class path) loads the versioned class on Java 9+, under
 * the base entry's name and URL, while {@link PackFiles} read, hashed and admitted only the base entry: any code at
 * all runs, past admission and the manifest. {@link PackFiles} now lists such an entry as shadowed, which the
 * manifest check refuses.
 */
class RedTeamMultiReleaseJarTest {

    @TempDir
    Path dir;

    /** {@code evil.Mr.value()}: "base" is harmless; the versioned one reads the wall clock (refused by admission). */
    private static byte[] mr(boolean versioned) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "evil/Mr", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "value", "()Ljava/lang/String;",
                null, null);
        mv.visitCode();
        if (versioned) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "currentTimeMillis", "()J", false);
            mv.visitInsn(Opcodes.POP2);
            mv.visitLdcInsn("versioned");
        } else {
            mv.visitLdcInsn("base");
        }
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void aVersionedClassInAMultiReleaseJarIsNotAdmittedUnseen() throws Exception {
        Path jar = dir.resolve("pack.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Multi-Release"), "true");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.putNextEntry(new JarEntry("evil/Mr.class"));
            j.write(mr(false));
            j.closeEntry();
            j.putNextEntry(new JarEntry("META-INF/versions/9/evil/Mr.class"));
            j.write(mr(true));
            j.closeEntry();
        }
        BytecodeAdmission admission = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi());
        assertFalse(admission.check(PackFiles.of("test", "evil/", java.util.Map.of("evil/Mr.class", mr(true))))
                .isEmpty(), "the versioned class alone is refused");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertEquals("versioned", loader.loadClass("evil.Mr").getMethod("value").invoke(null),
                    "the JVM runs the versioned class");
            PackFiles files = PackFiles.locate(loader, "evil.Mr", List.of());
            assertTrue(admission.check(files).isEmpty(), "admission reads the harmless base entry");
            // so the versioned entry must stop the pack: the manifest check refuses any shadowed class
            assertEquals(List.of("evil/Mr.class (multi-release version META-INF/versions/9/evil/Mr.class)"),
                    files.shadowed(), "the versioned class that runs was never read: " + files.paths());
        }
    }
}
