package io.orderflow.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Who may call one endpoint: a method, a path pattern in Spring's {@link PathPattern} syntax ({@code /orders/{id}},
 * {@code /ops/**}) and the roles allowed; no roles means open to anyone, token or not.
 *
 * <p>Matched by the filter chain and by the start-up check with the same parser ({@link
 * PathPatternParser#defaultInstance}, Spring MVC's), so that a rule covers at start what it lets in at run time.
 */
public record EndpointRule(HttpMethod method, String pattern, Set<Role> roles) {

    public EndpointRule {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("the pattern " + pattern + " must start with /");
        }
        try {
            PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
        } catch (PatternParseException e) {
            throw new IllegalArgumentException("the pattern " + pattern + " is not valid: " + e.getMessage(), e);
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Anyone may call it, without a token: health probes, public documents. */
    public boolean isOpen() {
        return roles.isEmpty();
    }

    /** Whether a request with this method and path (within the application) is one this rule is about. */
    public boolean matches(HttpMethod requestMethod, String path) {
        return method.equals(requestMethod)
                && PathPatternParser.defaultInstance.parse(pattern).matches(PathContainer.parsePath(path));
    }

    RequestMatcher requestMatcher() {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
    }

    /** The roles' claim values, in the enum's order: {@code customer, storefront}. */
    String rolesAsClaimed() {
        return EnumSet.copyOf(roles).stream().map(Role::claimValue).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return method.name() + " " + pattern + " -> " + (isOpen() ? "open" : rolesAsClaimed());
    }
}
