package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderflow.security.testapp.SecuredApp;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/** What stops a service at start, and what it prints then. The issuer is never asked at start: none runs here. */
@ExtendWith(OutputCaptureExtension.class)
class StartupChecksTest {

    static final String ISSUER = "spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:9";

    static SpringApplicationBuilder app(String... properties) {
        return new SpringApplicationBuilder(SecuredApp.class)
                .properties("server.port=0", "spring.main.banner-mode=off")
                .properties(properties);
    }

    @Test
    void refusesToStartWithAnEndpointWithoutARuleAndNamesEachOne(CapturedOutput output) {
        assertThatThrownBy(() -> app(ISSUER, "testapp.unruled=true").run())
                .isInstanceOf(MissingEndpointRulesException.class)
                .hasMessageContaining("2 endpoints have no rule, so every request to it would be refused:\n"
                        + "    GET /internal/{id} (UnruledController#internal)\n"
                        + "    POST /reports (functional route)\n")
                .hasMessageContaining("Add each to the service's EndpointRules bean");
        assertThat(output)
                .contains("APPLICATION FAILED TO START", "    POST /reports (functional route)")
                .contains("or set orderflow.security.require-rules=false");
    }

    @Test
    void startsWithTheCheckOffAndTheInventoryStillShowsTheGaps() {
        try (ConfigurableApplicationContext context = app(
                        ISSUER, "testapp.unruled=true", "orderflow.security.require-rules=false")
                .run()) {
            assertThat(EndpointInventory.of(context).uncovered())
                    .extracting(EndpointInventory.Endpoint::toString)
                    .containsExactly(
                            "GET /internal/{id} (UnruledController#internal)", "POST /reports (functional route)");
        }
    }

    @Test
    void refusesToStartWithoutAnIssuer(CapturedOutput output) {
        assertThatThrownBy(() -> app().run())
                .extracting(NestedExceptionUtils::getMostSpecificCause, InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(MissingIssuerException.class)
                .hasMessageStartingWith("No token issuer is configured: set"
                        + " spring.security.oauth2.resourceserver.jwt.issuer-uri (environment OAUTH2_ISSUER_URI)");
        assertThat(output).contains("Set OAUTH2_ISSUER_URI (or spring.security.oauth2.resourceserver.jwt.issuer-uri)");
    }

    @Test
    void refusesBootsAudiencesSoThatTheAudienceHasOneHome() {
        assertThatThrownBy(() -> app(ISSUER, "spring.security.oauth2.resourceserver.jwt.audiences=orderflow")
                        .run())
                .extracting(NestedExceptionUtils::getMostSpecificCause, InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ConflictingAudienceException.class)
                .hasMessageContaining("orderflow.security.audience");
    }
}
