package org.nexusswarm.packs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the packs on the class path ({@link ServiceLoader}); each call loads fresh instances. It instantiates every
 * pack without admission: for tests and tooling over the shipped packs only. Deployments and replays get a pack
 * through {@code org.nexusswarm.packs.admission.PackAdmission} ({@code PackGate}, {@code ReplayLogics}).
 */
public final class Packs {

    private Packs() {}

    /** Every pack on the class path, sorted by name. */
    public static List<Pack> discover() {
        List<Pack> packs = new ArrayList<>();
        for (Pack p : ServiceLoader.load(Pack.class, Packs.class.getClassLoader())) {
            for (Pack other : packs) {
                if (other.name().equals(p.name())) {
                    throw new IllegalStateException("two packs named '" + p.name() + "': "
                            + other.getClass().getName() + " and " + p.getClass().getName());
                }
            }
            packs.add(p);
        }
        packs.sort(Comparator.comparing(Pack::name));
        return List.copyOf(packs);
    }

    /** The pack called {@code name}; the error names the known packs. */
    public static Pack find(String name) {
        List<Pack> packs = discover();
        return packs.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown pack '" + name + "'; known packs: "
                        + packs.stream().map(Pack::name).collect(Collectors.joining(", "))));
    }
}
