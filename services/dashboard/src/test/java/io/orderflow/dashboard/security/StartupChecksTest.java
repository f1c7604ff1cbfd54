package io.orderflow.dashboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orderflow.dashboard.DashboardApplication;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Without its issuer or its client secret the dashboard does not start, and says which in one line. */
class StartupChecksTest {

    @ParameterizedTest
    @CsvSource({
        "'', a-secret, The dashboard has no token issuer: set OAUTH2_ISSUER_URI",
        "http://127.0.0.1:1, '', The dashboard has no client secret: set DASHBOARD_CLIENT_SECRET"
    })
    void refusesToStartWithoutTheSettingAndSaysWhichInOneLine(String issuer, String secret, String says) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1",
                "--OAUTH2_ISSUER_URI=" + issuer,
                "--DASHBOARD_CLIENT_SECRET=" + secret));

        Throwable failure = catchThrowable(() -> DashboardApplication.application()
                .run(arguments.toArray(String[]::new))
                .close());

        FailureAnalysis analysis = new MissingSettingFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("the failure: %s", failure).isNotNull();
        assertThat(analysis.getDescription()).startsWith(says).doesNotContain("\n");
        assertThat(analysis.getAction()).isNotBlank();
    }
}
