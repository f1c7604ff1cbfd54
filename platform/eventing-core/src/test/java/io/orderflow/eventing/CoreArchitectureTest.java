package io.orderflow.eventing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.orderflow.architecture.LibraryArchitecture;
import io.orderflow.eventing.envelope.Envelope;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** eventing-core is the library without a framework: any Java service can use it, Spring or not. */
class CoreArchitectureTest {

    /** This module's own classes, from where they were compiled to. */
    private static final JavaClasses CORE = new ClassFileImporter().importPath(locationOf(Envelope.class));

    @Test
    void theCoreHasNoSpringInIt() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.springframework..")
                .check(CORE);
    }

    @Test
    void theCoreStandsOnTheJdkKafkaClientsJdbcAvroAndItsOwnSmallLibrariesAlone() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "java..",
                        "javax.sql..",
                        "javax.net.ssl..",
                        "io.orderflow.eventing..",
                        "io.orderflow.compatibility..",
                        "org.apache.kafka.clients..",
                        "org.apache.kafka.common..",
                        "org.apache.avro..",
                        "org.slf4j..",
                        "io.micrometer..",
                        "org.flywaydb.core..",
                        "tools.jackson..")
                .check(CORE);
    }

    @Test
    void theCoreKnowsNoServiceNoContractAndNoTool() {
        LibraryArchitecture.knowsNoServiceNoContractAndNoTool().check(CORE);
    }

    @Test
    void theSpringPackagesAreTheStartersAlone() {
        noClasses().should().resideInAPackage("io.orderflow.eventing.spring..").check(CORE);
    }

    static Path locationOf(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
