package io.orderflow.inventory;

import io.orderflow.architecture.ServiceArchitecture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> keepsTheServiceRules() {
        return ServiceArchitecture.sagaService("io.orderflow.inventory").rules();
    }
}
