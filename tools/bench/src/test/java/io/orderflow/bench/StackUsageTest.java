package io.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StackUsageTest {

    private final long self = ProcessHandle.current().pid();

    @Test
    void readsTheCpuTimeAProcessHasSpent() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = StackUsage.cpuMillis(self);
        // 300 ms of this thread's own CPU, however busy the machine is
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sum += Long.numberOfTrailingZeros(System.nanoTime());
        }

        assertThat(sum).isPositive();
        // the kernel counts in 10 ms ticks
        assertThat(StackUsage.cpuMillis(self)).isGreaterThanOrEqualTo(before + 280);
    }

    @Test
    void readsWhatTheJitCompilersOfAJvmHaveSpent() {
        // This JVM has compiled test framework code on its way here: its compiler threads have run.
        assertThat(StackUsage.jitMillis(self)).isPositive().isLessThanOrEqualTo(StackUsage.cpuMillis(self));
    }

    @Test
    void aProcessThatIsGoneHasSpentNothing() {
        long gone = Long.MAX_VALUE;

        assertThat(StackUsage.cpuMillis(gone)).isZero();
        assertThat(StackUsage.jitMillis(gone)).isZero();
        assertThat(StackUsage.exitedChildrenCpuMillis(gone)).isZero();
    }
}
