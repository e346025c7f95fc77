package org.hasm.app;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's floors (issue 19): every arrow between hasm's packages points down, and no two packages need
 * each other. This module sees every other module's classes, so the rules are checked here, on main code only.
 *
 * <pre>
 *   app                                   the command line
 *   cluster, sim, forensics, loadtest     runs of the system: nodes, simulations, replays, load tests
 *   fleet                                 the seed-derived plan of a neighbourhood
 *   report                                the HTML/JSON report kit
 *   meter, concentrator, central, external   the paper's parts
 *   link, crypto                          what passes between parts and processes, and its protection
 *   persistence                           the segments and their journals
 *   policy                                the separation kernel
 * </pre>
 */
class ArchitectureTest {
    private static JavaClasses hasm;

    @BeforeAll
    static void importMainCode() {
        // in 'verify' the other modules come as jars, their shared test helpers as a -tests.jar
        hasm = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.hasm");
    }

    @Test
    void everyDependencyPointsToALowerFloor() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("policy").definedBy("org.hasm.policy..")
                .layer("persistence").definedBy("org.hasm.persistence..")
                .layer("link").definedBy("org.hasm.actors.link..", "org.hasm.actors.crypto..")
                .layer("parts").definedBy("org.hasm.actors.meter..", "org.hasm.actors.concentrator..",
                        "org.hasm.actors.central..", "org.hasm.actors.external..")
                .layer("report").definedBy("org.hasm.actors.report..")
                .layer("fleet").definedBy("org.hasm.actors.fleet..")
                .layer("runs").definedBy("org.hasm.actors.cluster..", "org.hasm.actors.sim..",
                        "org.hasm.actors.forensics..", "org.hasm.loadtest..")
                .layer("app").definedBy("org.hasm.app..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("runs").mayOnlyBeAccessedByLayers("app")
                .whereLayer("fleet").mayOnlyBeAccessedByLayers("runs", "app")
                .whereLayer("report").mayOnlyBeAccessedByLayers("runs", "app")
                .whereLayer("parts").mayOnlyBeAccessedByLayers("fleet", "runs", "app")
                .whereLayer("link").mayOnlyBeAccessedByLayers("parts", "fleet", "runs", "app")
                .whereLayer("persistence").mayOnlyBeAccessedByLayers("parts", "fleet", "runs", "app")
                .check(hasm);
    }

    @Test
    void noTwoPackagesNeedEachOther() {
        slices().matching("org.hasm.(**)").should().beFreeOfCycles().check(hasm);
    }
}
