package io.orderflow.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Every rule the filter chain enforces, in the order it tries them; a request no rule matches is refused.
 *
 * <ol>
 *   <li>{@code GET /actuator/health} and {@code /actuator/health/**}: open, for the probes of the platform;
 *   <li>the service's {@link EndpointRules} beans, in their bean order;
 *   <li>every other {@code /actuator/**} and {@code /ops/**} (such as {@code GET /ops/lag}): operators only.
 * </ol>
 *
 * The operators' catch-alls come after the service's rules so that a service can open one actuator endpoint on
 * purpose (a scrape target, say) with a rule of its own; the probes come first so that no rule can close them.
 */
public final class AccessRules {

    /** The platform's rules before the service's. */
    static final List<EndpointRule> PROBES = EndpointRules.builder()
            .open(HttpMethod.GET, "/actuator/health")
            .open(HttpMethod.GET, "/actuator/health/**")
            .build()
            .rules();

    /** The platform's rules after the service's: every method, as an operator's tools may use any. */
    static final List<EndpointRule> OPERATIONS = operations();

    private final List<EndpointRule> rules;
    private final List<RequestMatcher> matchers;

    private AccessRules(List<EndpointRule> rules) {
        this.rules = List.copyOf(rules);
        this.matchers = rules.stream().map(EndpointRule::requestMatcher).toList();
    }

    /**
     * The platform's rules with the service's.
     *
     * @throws IllegalStateException when two rules give the same method and pattern to different roles: which one
     *                               holds would depend on the beans' order
     */
    public static AccessRules of(List<EndpointRules> services) {
        List<EndpointRule> rules = new ArrayList<>(PROBES);
        Map<String, EndpointRule> declared = new HashMap<>();
        for (EndpointRules service : services) {
            for (EndpointRule rule : service.rules()) {
                EndpointRule earlier = declared.putIfAbsent(rule.method() + " " + rule.pattern(), rule);
                if (earlier != null && !earlier.roles().equals(rule.roles())) {
                    throw new IllegalStateException("Two EndpointRules disagree on " + rule.method() + " "
                            + rule.pattern() + ": " + earlier + " and " + rule + "; keep one of them");
                }
                rules.add(rule);
            }
        }
        rules.addAll(OPERATIONS);
        return new AccessRules(rules);
    }

    /** In the order they are tried. */
    public List<EndpointRule> rules() {
        return rules;
    }

    /** The rule that decides a request with this method and path (within the application); empty: refused. */
    public Optional<EndpointRule> ruleFor(HttpMethod method, String path) {
        return rules.stream().filter(rule -> rule.matches(method, path)).findFirst();
    }

    /** The rule that decides this request, as the filter chain matches it; empty: refused. */
    Optional<EndpointRule> ruleFor(HttpServletRequest request) {
        for (int i = 0; i < rules.size(); i++) {
            if (matchers.get(i).matches(request)) {
                return Optional.of(rules.get(i));
            }
        }
        return Optional.empty();
    }

    private static List<EndpointRule> operations() {
        EndpointRules.Builder builder = EndpointRules.builder();
        for (HttpMethod method : HttpMethod.values()) {
            builder.operator(method, "/actuator/**").operator(method, "/ops/**");
        }
        return builder.build().rules();
    }

    @Override
    public String toString() {
        return rules.toString();
    }
}
