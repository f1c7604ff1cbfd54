package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void portsHandedOutOneAfterAnotherAreAllDifferentAndFree() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = Ports.free();
            assertThat(Ports.isFree(port)).as("port %d", port).isTrue();
            ports.add(port);
        }
        assertThat(ports).hasSize(200);
    }
}
