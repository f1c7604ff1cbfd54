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

    /** A port a restarted process takes back must not be one the kernel gives to outgoing connections meanwhile. */
    @Test
    void portsAreHandedOutBelowTheEphemeralRange() {
        int ephemeral = Ports.ephemeralRangeStart();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ephemeral > 21_000, "the ephemeral range starts at " + ephemeral + ": no room below it");
        for (int i = 0; i < 50; i++) {
            assertThat(Ports.free()).isBetween(20_000, ephemeral - 1);
        }
    }
}
