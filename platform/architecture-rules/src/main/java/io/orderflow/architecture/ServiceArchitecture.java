package io.orderflow.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The rules of DESIGN.md for one deployable service, checked on its compiled main classes:
 * <ul>
 *     <li>its domain is plain Java;</li>
 *     <li>it knows only itself, the contracts, the eventing library, the web security library and the interface
 *     documents' library: never another service, the read side or the local tooling;</li>
 *     <li>only its web adapter and its security configuration know who the caller is (the web security
 *     library);</li>
 *     <li>its domain and use cases do not reach for its adapters (web, messaging, persistence);</li>
 *     <li>for a saga service: it talks to Kafka only through the eventing library.</li>
 * </ul>
 * A service's unit tests return {@link #rules()} from a {@code @TestFactory}, so each rule is a test of its own.
 */
public final class ServiceArchitecture {

    private static final String CONTRACTS = "io.orderflow.contracts..";
    private static final String EVENTING = "io.orderflow.eventing..";
    private static final String SECURITY = "io.orderflow.security..";
    private static final String API_DOCS = "io.orderflow.apidocs..";

    private final String servicePackage;
    private final boolean sagaService;
    private final JavaClasses classes;

    private ServiceArchitecture(String servicePackage, boolean sagaService) {
        this.servicePackage = servicePackage;
        this.sagaService = sagaService;
        this.classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
    }

    /** A service of the saga: it writes and reads events only through the eventing library. */
    public static ServiceArchitecture sagaService(String servicePackage) {
        return new ServiceArchitecture(servicePackage, true);
    }

    /** A service beside the saga (the read side on Kafka Streams, the dashboard): no Kafka rule. */
    public static ServiceArchitecture sideService(String servicePackage) {
        return new ServiceArchitecture(servicePackage, false);
    }

    public Stream<DynamicTest> rules() {
        if (classes.isEmpty()) {
            throw new IllegalStateException("no main classes found in " + servicePackage);
        }
        String own = servicePackage + "..";
        List<ArchRule> rules = new ArrayList<>();
        rules.add(classes()
                .that()
                .resideInAPackage(own + "domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(own + "domain..", "java..")
                .allowEmptyShould(true)
                .because("the domain is plain Java: no Spring, Kafka or JDBC"));
        rules.add(noClasses()
                .that()
                .resideInAPackage(own)
                .should()
                .dependOnClassesThat(resideInAPackage("io.orderflow..")
                        .and(not(resideInAnyPackage(own, CONTRACTS, EVENTING, SECURITY, API_DOCS))))
                .because("a service knows only the contracts, the eventing library, the web security library and"
                        + " the interface documents' library, never another service, the read side or the local"
                        + " tooling"));
        rules.add(noClasses()
                .that()
                .resideInAPackage(own)
                .and()
                .resideOutsideOfPackages(own + "web..", own + "security..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SECURITY)
                .because("who the caller is and what they may do is decided at the HTTP edge"));
        rules.add(noClasses()
                .that()
                .resideInAnyPackage(own + "domain..", own + "application..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(own + "web..", own + "messaging..", own + "persistence..")
                .allowEmptyShould(true)
                .because("the core does not depend on its adapters"));
        if (sagaService) {
            rules.add(noClasses()
                    .that()
                    .resideInAPackage(own)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("org.apache.kafka.clients..", "org.springframework.kafka..")
                    .because("services talk to Kafka only through the eventing library"));
        }
        return rules.stream().map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(classes)));
    }
}
