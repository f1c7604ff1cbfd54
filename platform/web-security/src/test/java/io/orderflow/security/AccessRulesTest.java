package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class AccessRulesTest {

    @Test
    void triesTheProbesThenTheServiceThenTheOperatorsCatchAll() {
        AccessRules rules = AccessRules.of(List.of(EndpointRules.builder()
                .operator(HttpMethod.GET, "/actuator/health")
                .open(HttpMethod.GET, "/actuator/prometheus")
                .allow(HttpMethod.GET, "/orders/{id}", Role.CUSTOMER, Role.OPERATOR)
                .build()));

        assertThat(rules.ruleFor(HttpMethod.GET, "/actuator/health"))
                .hasValueSatisfying(rule -> assertThat(rule.isOpen()).isTrue());
        assertThat(rules.ruleFor(HttpMethod.GET, "/actuator/health/readiness"))
                .hasValueSatisfying(rule -> assertThat(rule.isOpen()).isTrue());
        assertThat(rules.ruleFor(HttpMethod.GET, "/actuator/prometheus"))
                .hasValueSatisfying(rule -> assertThat(rule.isOpen()).isTrue());
        assertThat(rules.ruleFor(HttpMethod.POST, "/actuator/loggers/root"))
                .hasValueSatisfying(rule -> assertThat(rule.roles()).containsExactly(Role.OPERATOR));
        assertThat(rules.ruleFor(HttpMethod.GET, "/actuator"))
                .hasValueSatisfying(rule -> assertThat(rule.roles()).containsExactly(Role.OPERATOR));
        assertThat(rules.ruleFor(HttpMethod.GET, "/ops/lag"))
                .hasValueSatisfying(rule -> assertThat(rule.roles()).containsExactly(Role.OPERATOR));
        assertThat(rules.ruleFor(HttpMethod.GET, "/orders/42"))
                .hasValueSatisfying(
                        rule -> assertThat(rule.roles()).containsExactlyInAnyOrder(Role.CUSTOMER, Role.OPERATOR));
        assertThat(rules.ruleFor(HttpMethod.DELETE, "/orders/42")).isEmpty();
        assertThat(rules.ruleFor(HttpMethod.GET, "/orders/42/")).isEmpty();
    }

    @Test
    void refusesTwoBeansThatGiveTheSameEndpointToDifferentRoles() {
        EndpointRules one =
                EndpointRules.builder().operator(HttpMethod.GET, "/orders").build();
        EndpointRules other = EndpointRules.builder()
                .allow(HttpMethod.GET, "/orders", Role.CUSTOMER)
                .build();

        assertThatThrownBy(() -> AccessRules.of(List.of(one, other)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Two EndpointRules disagree on GET /orders: GET /orders -> operator and GET /orders ->"
                        + " customer; keep one of them");
        assertThat(AccessRules.of(List.of(one, one)).ruleFor(HttpMethod.GET, "/orders"))
                .map(EndpointRule::roles)
                .hasValue(Set.of(Role.OPERATOR));
    }

    @Test
    void refusesAPatternSpringCannotMatch() {
        assertThatThrownBy(() -> EndpointRules.builder().open(HttpMethod.GET, "orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the pattern orders must start with /");
        assertThatThrownBy(() -> EndpointRules.builder().open(HttpMethod.GET, "/orders/**/items"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the pattern /orders/**/items is not valid");
    }
}
