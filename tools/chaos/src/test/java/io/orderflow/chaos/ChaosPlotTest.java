package io.orderflow.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosPlotTest {

    @TempDir
    Path directory;

    @Test
    void drawsEverySecondAndABandPerFaultWithItsDetailsEscaped() throws Exception {
        Path page = directory.resolve("run.html");
        List<ChaosReport.Second> seconds = List.of(
                new ChaosReport.Second(1, 8, 7, 60, List.of()),
                new ChaosReport.Second(2, 8, 0, 99, List.of("1 broker SIGKILL")),
                new ChaosReport.Second(3, 8, 12, 80, List.of()));
        List<InjectedFault> faults = List.of(
                new InjectedFault(FaultKind.BROKER_KILL, "node-1", "the active controller <1>", 1_200, 2_500),
                new InjectedFault(FaultKind.SERVICE_KILL, "order-service-2", "pid 42", 2_000, -1));

        ChaosPlot.write(page, 7, seconds, faults);

        String html = Files.readString(page);
        assertThat(html).contains("<svg", "Chaos run, seed 7", "peak 12");
        assertThat(html.split("<rect", -1)).hasSize(3);
        assertThat(html).contains("the active controller &lt;1&gt;").doesNotContain("controller <1>");
        assertThat(html.split("<polyline", -1)).hasSize(3);
    }
}
