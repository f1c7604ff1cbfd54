package io.orderflow.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/** The rule every library of the platform keeps, whatever else it checks of itself. */
public final class LibraryArchitecture {

    private LibraryArchitecture() {}

    /** The services, the read side, the contracts and the local tooling build on the library, never the reverse. */
    public static ArchRule knowsNoServiceNoContractAndNoTool() {
        return noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.orderflow.order..",
                        "io.orderflow.inventory..",
                        "io.orderflow.payment..",
                        "io.orderflow.shipping..",
                        "io.orderflow.view..",
                        "io.orderflow.dashboard..",
                        "io.orderflow.contracts..",
                        "io.orderflow.registry..",
                        "io.orderflow.provider..",
                        "io.orderflow.devstack..",
                        "io.orderflow.cli..",
                        "io.orderflow.bench..")
                .because("the platform's libraries are built on by the product and the tools, never the reverse");
    }
}
