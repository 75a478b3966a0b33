package org.nexusswarm.packs.admission;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.serialization.KryoRegistrations;
import org.nexusswarm.safety.api.admission.BytecodeFinding;

/**
 * Registers the payload types packs declare in {@value #RESOURCE} ({@code id = binary class name}), so a pack
 * never implements the serializer SPI (which the bytecode check refuses as pack code).
 *
 * <p>A declared type is looked up without being initialised (no static initialiser of pack code runs here) and
 * must be a record implementing {@link SwarmMessage} with an id in the packs' range {@value #FIRST_ID}-{@value
 * #LAST_ID}, outside the platform's packages: the file can name a payload, never a platform type (whose wire id it
 * would change) or a gadget class, and must have the shape {@link PayloadShapeCheck} requires (the serializer runs
 * its accessors and constructor outside any budget). Any other entry stops the node
 * at start with the file, the id and the reason, rather than running with a half-registered pack.
 */
public final class PayloadTypeRegistrations implements KryoRegistrations {

    public static final String RESOURCE = "META-INF/nexus/payload-types.properties";
    public static final int FIRST_ID = 600;
    public static final int LAST_ID = 999;

    @Override
    public void register(Registrar registrar) {
        ClassLoader loader = PayloadTypeRegistrations.class.getClassLoader();
        declared(loader).forEach((id, type) -> registrar.register(type, id));
    }

    /** Every declared payload type by id, checked; throws {@link IllegalStateException} naming the bad entry. */
    public static Map<Integer, Class<?>> declared(ClassLoader loader) {
        Map<Integer, Class<?>> byId = new TreeMap<>();
        Map<Integer, String> origin = new TreeMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(RESOURCE))) {
                Properties entries = new Properties();
                try (InputStream in = url.openStream()) {
                    entries.load(in);
                }
                for (String key : entries.stringPropertyNames()) {
                    int id = parseId(url, key);
                    Class<?> type = payloadType(loader, url, id, entries.getProperty(key).trim());
                    String previous = origin.putIfAbsent(id, url.toString());
                    if (previous != null) {
                        throw new IllegalStateException(url + ": payload id " + id + " is already declared in "
                                + previous);
                    }
                    byId.put(id, type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return byId;
    }

    private static int parseId(URL url, String key) {
        int id;
        try {
            id = Integer.parseInt(key.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(url + ": '" + key + "' is not a Kryo id");
        }
        if (id < FIRST_ID || id > LAST_ID) {
            throw new IllegalStateException(url + ": payload id " + id + " is outside the packs' range "
                    + FIRST_ID + "-" + LAST_ID);
        }
        return id;
    }

    /** Under org.nexusswarm, only classes of a pack package (org.nexusswarm.packs.NAME...) are pack payloads. */
    private static boolean isPlatformType(String name) {
        if (!name.startsWith("org.nexusswarm.")) {
            return false;
        }
        String rest = name.startsWith("org.nexusswarm.packs.") ? name.substring("org.nexusswarm.packs.".length()) : "";
        return rest.indexOf('.') <= 0 || rest.startsWith("admission.");
    }

    private static Class<?> payloadType(ClassLoader loader, URL url, int id, String name) {
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(url + ": payload id " + id + " names " + name + ", which is not found");
        }
        if (isPlatformType(name)) {
            throw new IllegalStateException(url + ": payload id " + id + " names " + name
                    + ", a platform type (platform modules register their own types)");
        }
        if (!type.isRecord() || !SwarmMessage.class.isAssignableFrom(type)) {
            throw new IllegalStateException(url + ": payload id " + id + " names " + name
                    + ", which is not a record implementing SwarmMessage");
        }
        // Registered types decode whether or not their pack is admitted: their shape is checked here as well.
        List<BytecodeFinding> shape = PayloadShapeCheck.check(name, classFile(loader, url, id, name));
        if (!shape.isEmpty()) {
            throw new IllegalStateException(url + ": payload id " + id + " names " + name + ", refused: "
                    + shape.get(0).describe());
        }
        return type;
    }

    private static byte[] classFile(ClassLoader loader, URL url, int id, String name) {
        try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IllegalStateException(url + ": payload id " + id + " names " + name
                        + ", whose class file is not readable");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + name, e);
        }
    }
}
