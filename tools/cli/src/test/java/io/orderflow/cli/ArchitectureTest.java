package io.orderflow.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md, checked on the compiled classes of every module. The eventing library's own
 * rules are in its modules (CoreArchitectureTest, StarterArchitectureTest).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.orderflow");

    @Test
    void domainCodeIsPlainJava() {
        classes().that().resideInAPackage("io.orderflow..domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.orderflow..domain..", "java..")
                .check(CLASSES);
    }

    private static final String[] SERVICES = {"io.orderflow.order..", "io.orderflow.inventory..",
            "io.orderflow.payment..", "io.orderflow.shipping.."};

    @Test
    void servicesNeverDependOnEachOther() {
        for (String service : SERVICES) {
            String[] others = java.util.Arrays.stream(SERVICES).filter(other -> !other.equals(service))
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(service)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(CLASSES);
        }
    }

    @Test
    void theReadSideAndTheServicesKnowOnlyEachOthersEvents() {
        noClasses().that().resideInAPackage("io.orderflow.view..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICES)
                .check(CLASSES);
        noClasses().that().resideInAnyPackage(SERVICES)
                .should().dependOnClassesThat().resideInAPackage("io.orderflow.view..")
                .check(CLASSES);
    }

    @Test
    void servicesTalkToKafkaOnlyThroughTheEventingLibrary() {
        noClasses().that().resideInAnyPackage(SERVICES)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka.clients..",
                        "org.springframework.kafka..")
                .check(CLASSES);
    }

    @Test
    void webAndMessagingAdaptersAreNotUsedByTheCore() {
        noClasses().that().resideInAnyPackage("io.orderflow..domain..", "io.orderflow..application..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orderflow..web..",
                        "io.orderflow..messaging..", "io.orderflow..persistence..")
                .check(CLASSES);
    }
}
