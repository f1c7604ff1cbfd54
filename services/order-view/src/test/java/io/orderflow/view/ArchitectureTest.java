package io.orderflow.view;

import io.orderflow.architecture.ServiceArchitecture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> keepsTheServiceRules() {
        return ServiceArchitecture.sideService("io.orderflow.view").rules();
    }
}
