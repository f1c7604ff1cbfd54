package io.orderflow.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.orderflow.eventing.outbox.OutboxRelay;
import io.orderflow.eventing.outbox.OutboxWriter;
import org.junit.jupiter.api.Test;

/** The eventing library's rules; each service checks its own in its module (ServiceArchitecture). */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.orderflow");

    @Test
    void theEventingCoreAndItsJdbcPartAreFrameworkFree() {
        noClasses().that().resideInAnyPackage("io.orderflow.eventing.envelope..", "io.orderflow.eventing.serde..",
                        "io.orderflow.eventing.topic..", "io.orderflow.eventing.inbox..")
                .or().belongToAnyOf(OutboxWriter.class, OutboxRelay.class)
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(CLASSES);
    }

    @Test
    void theEventingLibraryKnowsNoService() {
        noClasses().that().resideInAPackage("io.orderflow.eventing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.orderflow.order..",
                        "io.orderflow.inventory..", "io.orderflow.payment..", "io.orderflow.shipping..",
                        "io.orderflow.view..", "io.orderflow.contracts..")
                .check(CLASSES);
    }

}
