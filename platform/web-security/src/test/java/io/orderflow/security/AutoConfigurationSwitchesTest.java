package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** How an application does without this module's chain (the dashboard), and how rule beans merge. */
class AutoConfigurationSwitchesTest {

    final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    WebSecurityAutoConfiguration.class,
                    OAuth2ResourceServerAutoConfiguration.class,
                    ServletWebSecurityAutoConfiguration.class,
                    SecurityAutoConfiguration.class))
            .withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://127.0.0.1:9");

    @Test
    void isAResourceServerWithItsOwnChainByDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasBean("orderflowSecurityFilterChain").hasSingleBean(AccessRules.class);
        });
    }

    @Test
    void switchesOffWholeForAnApplicationWithItsOwnSecurity() {
        runner.withPropertyValues("orderflow.security.resource-server.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context)
                            .doesNotHaveBean("orderflowSecurityFilterChain")
                            .doesNotHaveBean(AccessRules.class)
                            .doesNotHaveBean(AudienceValidator.class);
                });
    }

    @Test
    void leavesAnApplicationItsOwnFilterChain() {
        runner.withUserConfiguration(OwnChain.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean("orderflowSecurityFilterChain").hasBean("ownChain");
            assertThat(context).doesNotHaveBean(RuleCoverageCheck.class);
        });
    }

    @Test
    void mergesEveryEndpointRulesBeanInOrder() {
        runner.withUserConfiguration(TwoRuleBeans.class).run(context -> {
            AccessRules rules = context.getBean(AccessRules.class);

            assertThat(rules.ruleFor(HttpMethod.POST, "/orders"))
                    .map(EndpointRule::roles)
                    .hasValue(java.util.Set.of(Role.CUSTOMER));
            assertThat(rules.ruleFor(HttpMethod.GET, "/stock/KB-001"))
                    .map(EndpointRule::isOpen)
                    .hasValue(true);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChain {

        @Bean
        SecurityFilterChain ownChain(HttpSecurity http) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(login -> {})
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoRuleBeans {

        @Bean
        EndpointRules orders() {
            return EndpointRules.builder()
                    .allow(HttpMethod.POST, "/orders", Role.CUSTOMER)
                    .build();
        }

        @Bean
        EndpointRules stock() {
            return EndpointRules.builder().open(HttpMethod.GET, "/stock/{sku}").build();
        }
    }
}
