package io.orderflow.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.springframework.http.HttpMethod;

/**
 * A service's endpoints and who may call each: declared as a bean, one or several (they are merged). Any endpoint
 * without a rule is refused, and the service does not start with such an endpoint mapped.
 *
 * <pre>{@code
 * @Bean
 * EndpointRules orderEndpoints() {
 *     return EndpointRules.builder()
 *             .allow(HttpMethod.POST, "/orders", Role.CUSTOMER, Role.STOREFRONT)
 *             .allow(HttpMethod.GET, "/orders/{id}", Role.CUSTOMER, Role.STOREFRONT, Role.OPERATOR)
 *             .operator(HttpMethod.GET, "/orders")
 *             .build();
 * }
 * }</pre>
 *
 * The rules of every service come on top of the platform's ({@link AccessRules}): the health probes open, the rest of
 * {@code /actuator} and {@code /ops} for operators.
 */
public final class EndpointRules {

    private final List<EndpointRule> rules;

    private EndpointRules(List<EndpointRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** In the order declared; the first that matches a request decides it. */
    public List<EndpointRule> rules() {
        return rules;
    }

    @Override
    public String toString() {
        return rules.toString();
    }

    public static final class Builder {

        private final List<EndpointRule> rules = new ArrayList<>();

        private Builder() {}

        /** Callers with any of these roles may call {@code method pattern}. */
        public Builder allow(HttpMethod method, String pattern, Role role, Role... more) {
            rules.add(new EndpointRule(method, pattern, EnumSet.of(role, more)));
            return this;
        }

        /** Only operators may call {@code method pattern}. */
        public Builder operator(HttpMethod method, String pattern) {
            return allow(method, pattern, Role.OPERATOR);
        }

        /** Anyone may call {@code method pattern}, without a token. */
        public Builder open(HttpMethod method, String pattern) {
            rules.add(new EndpointRule(method, pattern, EnumSet.noneOf(Role.class)));
            return this;
        }

        public EndpointRules build() {
            return new EndpointRules(rules);
        }
    }
}
