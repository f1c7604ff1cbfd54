package io.orderflow.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the resource server, under orderflow.security. The issuer is Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (environment {@code OAUTH2_ISSUER_URI}).
 *
 * @param audience       what the token's {@code aud} must hold: the name of this API at the issuer. The one place
 *                       the audience is set: Boot's {@code spring.security.oauth2.resourceserver.jwt.audiences} is
 *                       refused at start, so that two settings cannot disagree
 * @param rolesClaim     the claim with the caller's roles (a JSON array, or a space-separated string), or a dotted
 *                       path to it, such as Keycloak's {@code realm_access.roles}; a top-level claim of that exact
 *                       name is taken first
 * @param customerClaim  the top-level claim naming the caller: the customer's id for a customer, the client's id
 *                       for a client's own token; a token without it is refused
 * @param requireRules   refuse to start while an endpoint has no rule; off, the service starts and every such
 *                       endpoint is refused to every caller all the same
 * @param resourceServer the filter chain of this module
 */
@ConfigurationProperties("orderflow.security")
public record WebSecurityProperties(
        @DefaultValue("orderflow") String audience,
        @DefaultValue("roles") String rolesClaim,
        @DefaultValue("sub") String customerClaim,
        @DefaultValue("true") boolean requireRules,
        @DefaultValue ResourceServer resourceServer) {

    /**
     * @param enabled make the service a resource server with this module's filter chain, rules and checks; off in an
     *                application that brings its own security (the dashboard, a browser app with a login), which then
     *                has nothing of this module
     */
    public record ResourceServer(@DefaultValue("true") boolean enabled) {}
}
