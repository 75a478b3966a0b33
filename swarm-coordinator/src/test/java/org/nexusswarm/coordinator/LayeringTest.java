package org.nexusswarm.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of ARCHITECTURE.md, checked on the compiled classes: no module's code may use a module
 * above it. (Maven already refuses cycles; this catches a reach "up" through a transitive dependency.)
 */
class LayeringTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.nexusswarm");

    @Test
    void modulesOnlyUseTheModulesBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("actors").definedBy("org.nexusswarm.actors..")
                .layer("episodic-memory").definedBy("org.nexusswarm.memory..")
                .layer("safety-layer").definedBy("org.nexusswarm.safety..")
                .layer("proof-delegators").definedBy("org.nexusswarm.delegators..")
                .layer("orchestrators").definedBy("org.nexusswarm.orchestrators..")
                .layer("packs").definedBy("org.nexusswarm.packs..")
                .layer("cluster-config").definedBy("org.nexusswarm.clusterconfig..")
                .layer("swarm-coordinator").definedBy("org.nexusswarm.coordinator..")
                .whereLayer("swarm-coordinator").mayNotBeAccessedByAnyLayer()
                .whereLayer("cluster-config").mayOnlyBeAccessedByLayers("swarm-coordinator")
                .whereLayer("packs").mayOnlyBeAccessedByLayers("swarm-coordinator")
                .whereLayer("orchestrators").mayOnlyBeAccessedByLayers("packs", "swarm-coordinator")
                .whereLayer("proof-delegators").mayOnlyBeAccessedByLayers("orchestrators", "packs", "swarm-coordinator")
                .whereLayer("safety-layer").mayOnlyBeAccessedByLayers("proof-delegators", "orchestrators", "packs",
                        "swarm-coordinator")
                .whereLayer("episodic-memory").mayOnlyBeAccessedByLayers("safety-layer", "proof-delegators",
                        "orchestrators", "packs", "swarm-coordinator")
                .check(CLASSES);
    }

    @Test
    void onlyTheSafetyLayerUsesItsInternals() {
        noClasses().that().resideOutsideOfPackage("org.nexusswarm.safety..")
                .should().dependOnClassesThat().resideInAPackage("org.nexusswarm.safety.internal..")
                .because("the coordinator, packs, delegators and orchestrators use the safety layer's api packages only")
                .check(CLASSES);
        // Not vacuous: both sides exist, and every safety class is on one of them.
        for (String side : new String[] {"org.nexusswarm.safety.api", "org.nexusswarm.safety.internal"}) {
            if (CLASSES.stream().noneMatch(c -> c.getPackageName().startsWith(side))) {
                throw new AssertionError("no classes imported for " + side);
            }
        }
        CLASSES.stream().filter(c -> c.getPackageName().startsWith("org.nexusswarm.safety"))
                .filter(c -> !c.getPackageName().startsWith("org.nexusswarm.safety.api")
                        && !c.getPackageName().startsWith("org.nexusswarm.safety.internal"))
                .findAny().ifPresent(c -> {
                    throw new AssertionError(c.getName() + " is neither api nor internal");
                });
    }

    @Test
    void everyModuleIsImported() {
        // Guards the check above against passing vacuously because a module's classes were not found.
        for (String pkg : new String[] {"actors", "memory", "safety", "delegators", "orchestrators", "packs",
                "clusterconfig", "coordinator"}) {
            if (CLASSES.stream().noneMatch(c -> c.getPackageName().startsWith("org.nexusswarm." + pkg))) {
                throw new AssertionError("no classes imported for org.nexusswarm." + pkg);
            }
        }
    }
}
