package org.nexusswarm.packs.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.safety.api.admission.BytecodeFinding;
import org.nexusswarm.safety.api.admission.PackFiles;

/**
 * Red team: the serializer runs a payload record's accessors (encoding) and canonical constructor (decoding) on a
 * supervisor's or Artery's thread, outside any budget. A record whose accessor loops, whose constructor calls pack
 * code, loops or recurses, or which overrides hashCode or implements a JDK interface is refused at admission, with a
 * finding naming the record and the method; the shipped climate pack's payloads pass.
 */
class PayloadShapeCheckTest {

    private static byte[] classFile(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<BytecodeFinding> check(Class<?> type) {
        return PayloadShapeCheck.check(type.getName(), classFile(type));
    }

    /** The pack files of a pack in package redteam.payloads declaring {@code types} as its payloads. */
    private static PackFiles packDeclaring(Class<?>... types) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder declared = new StringBuilder();
        int id = 700;
        for (Class<?> type : types) {
            files.put(type.getName().replace('.', '/') + ".class", classFile(type));
            declared.append(id++).append(" = ").append(type.getName()).append('\n');
        }
        files.put(PayloadTypeRegistrations.RESOURCE, declared.toString().getBytes(StandardCharsets.ISO_8859_1));
        return PackFiles.of("test", "redteam/payloads/", files);
    }

    private static void assertRefused(Class<?> type, String member, String reference) {
        List<BytecodeFinding> findings = check(type);
        assertFalse(findings.isEmpty(), type.getSimpleName() + " passed");
        // the one finding this case is about, among any others the same code earns (a recursive `new X` is also
        // a `new` of a pack class)
        assertTrue(findings.stream().anyMatch(f -> f.className().equals(type.getName()) && f.member().equals(member)
                && f.reference().contains(reference) && f.category().equals(PayloadShapeCheck.CATEGORY)),
                findings.toString());
    }

    @Test
    void aLoopingAccessorIsRefused() {
        assertRefused(redteam.payloads.LoopingAccessor.class, "value()", "other than the generated accessor");
        assertEquals("redteam.payloads.LoopingAccessor.value() references code other than the generated accessor "
                + "(load this, getfield value, return) (forbidden: payload shape)",
                check(redteam.payloads.LoopingAccessor.class).get(0).describe());
    }

    @Test
    void aConstructorThatCallsPackCodeIsRefused() {
        assertRefused(redteam.payloads.CallsPackCode.class, "<init>(canonical)",
                "redteam/payloads/CallsPackCode$Helper.clean");
    }

    @Test
    void aRecursiveConstructorIsRefused() {
        assertRefused(redteam.payloads.RecursiveConstructor.class, "<init>(canonical)",
                "its own method <init>(I)V (pack code)");
    }

    @Test
    void aLoopingConstructorIsRefused() {
        assertRefused(redteam.payloads.LoopingConstructor.class, "<init>(canonical)", "a backward branch");
    }

    @Test
    void anOverriddenHashCodeIsRefused() {
        assertRefused(redteam.payloads.OverriddenHashCode.class, "hashCode()", "an explicit hashCode");
    }

    @Test
    void aPayloadImplementingAJdkInterfaceIsRefused() {
        assertRefused(redteam.payloads.ComparablePayload.class, "<class>", "interface java/lang/Comparable");
    }

    @Test
    void valueChecksCopiesAndPlainMessagesPass() {
        assertEquals(List.of(), check(redteam.payloads.WellShaped.class));
    }

    @Test
    void everyDeclaredPayloadOfAPackIsCheckedAndOneItDoesNotShipIsRefused() {
        List<BytecodeFinding> findings = PayloadShapeCheck.check(packDeclaring(redteam.payloads.WellShaped.class,
                redteam.payloads.OverriddenHashCode.class));
        assertEquals(1, findings.size(), findings.toString());
        assertEquals("redteam.payloads.OverriddenHashCode", findings.get(0).className());

        Map<String, byte[]> files = Map.of(PayloadTypeRegistrations.RESOURCE,
                "701 = redteam.payloads.Elsewhere\n".getBytes(StandardCharsets.ISO_8859_1));
        List<BytecodeFinding> missing = PayloadShapeCheck.check(PackFiles.of("test", "redteam/payloads/", files));
        assertEquals("redteam.payloads.Elsewhere.<class> references a payload type the pack does not ship "
                + "(forbidden: payload shape)", missing.get(0).describe());
    }

    @Test
    void theShippedClimatePayloadsPass() {
        PackFiles climate = PackFiles.locate(getClass().getClassLoader(),
                "org.nexusswarm.packs.climate.ClimatePack", PackAdmission.RESOURCE_PREFIXES);
        assertTrue(climate.entries().containsKey(PayloadTypeRegistrations.RESOURCE));
        assertEquals(List.of(), PayloadShapeCheck.check(climate));
    }
}
