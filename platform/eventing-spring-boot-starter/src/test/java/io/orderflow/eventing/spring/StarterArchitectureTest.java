package io.orderflow.eventing.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.orderflow.architecture.LibraryArchitecture;
import io.orderflow.eventing.spring.autoconfigure.EventingAutoConfiguration;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The starter wires eventing-core into Spring Boot, and adds only what needs Spring. */
class StarterArchitectureTest {

    /** This module's own classes, from where they were compiled to: not eventing-core's beside them. */
    private static final JavaClasses STARTER =
            new ClassFileImporter().importPath(locationOf(EventingAutoConfiguration.class));

    @Test
    void noPackageIsSplitWithTheCore() {
        classes().should().resideInAPackage("io.orderflow.eventing.spring..").check(STARTER);
    }

    @Test
    void theRuntimeDoesNotKnowItsWiring() {
        noClasses()
                .that()
                .resideInAnyPackage("io.orderflow.eventing.spring.outbox..", "io.orderflow.eventing.spring.consumer..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.orderflow.eventing.spring.autoconfigure..")
                .check(STARTER);
    }

    @Test
    void theStarterKnowsNoServiceNoContractAndNoTool() {
        LibraryArchitecture.knowsNoServiceNoContractAndNoTool().check(STARTER);
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
