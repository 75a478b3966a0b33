package org.nexusswarm.safety.internal.registry;

import org.nexusswarm.safety.api.registry.EntitySigner;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;

/**
 * Keys out of reach: starting from what any code holding the actor system can reach (the {@link SafetyRegistry}
 * extension, the specs and services it hands out), no public method returns a private key or a type that holds
 * one ({@code PrivateKey}, {@code KeyPair}, {@code SecretKey}, {@link SwarmKeyPair}), directly, in a generic type
 * argument, or through any project type reachable the same way.
 */
class KeysOutOfReachTest {

    private static final List<Class<?>> FORBIDDEN = List.of(java.security.PrivateKey.class,
            java.security.KeyPair.class, javax.crypto.SecretKey.class, SwarmKeyPair.class,
            org.nexusswarm.safety.api.credential.IssuerKeys.class);

    @Test
    void noPublicMethodReachableFromTheRegistryReturnsAPrivateKey() {
        List<String> leaks = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(SafetyRegistry.class, EntitySpec.class, SafetyServices.class,
                EntitySigner.class));
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            for (Method m : type.getMethods()) {
                if (m.getDeclaringClass() == Object.class) {
                    continue;
                }
                for (Class<?> returned : classesIn(m.getGenericReturnType())) {
                    if (FORBIDDEN.stream().anyMatch(f -> f.isAssignableFrom(returned))) {
                        leaks.add(type.getSimpleName() + "." + m.getName() + " returns " + returned.getSimpleName());
                    } else if (returned.getName().startsWith("org.nexusswarm.") && !returned.isEnum()) {
                        todo.add(returned);
                    }
                }
            }
        }
        assertTrue(seen.size() > 4, "the walk must reach beyond its roots: " + seen);
        assertEquals(List.of(), leaks);
    }

    @Test
    void theWalkWouldCatchALeak() {
        // Guard against passing vacuously: the key pair itself is a forbidden return type.
        assertTrue(FORBIDDEN.stream().anyMatch(f -> f.isAssignableFrom(Ed25519.generate().getClass())));
    }

    @Test
    void aSpecKeepsASignerNotTheKeyPair() {
        SwarmKeyPair keys = Ed25519.generate();
        EntitySigner signer = EntitySigner.of(keys);
        assertTrue(Modifier.isFinal(EntitySigner.class.getModifiers()), "no subclass can open it up");
        assertTrue(Ed25519.verify(keys.publicKey(), "m".getBytes(), signer.sign("m".getBytes())));
        assertEquals(keys.did(), signer.did());
        // deriveSecret is not public: only the registry derives the session secret.
        assertTrue(java.util.Arrays.stream(EntitySigner.class.getMethods())
                .noneMatch(m -> m.getName().equals("deriveSecret")));
    }

    private static List<Class<?>> classesIn(Type type) {
        List<Class<?>> out = new ArrayList<>();
        if (type instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            out.addAll(classesIn(p.getRawType()));
            for (Type arg : p.getActualTypeArguments()) {
                out.addAll(classesIn(arg));
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                out.addAll(classesIn(bound));
            }
        }
        return out;
    }
}
