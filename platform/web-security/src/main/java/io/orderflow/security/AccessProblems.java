package io.orderflow.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * A valid token without the role the endpoint needs: 403 with Spring's {@code WWW-Authenticate: Bearer
 * error="insufficient_scope"} and a problem naming the roles that may call it ({@code requiredRoles}) and those the
 * token has. An endpoint no rule covers is refused to everyone, and the detail says so.
 */
final class AccessProblems implements AccessDeniedHandler {

    private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
    private final AccessRules rules;

    AccessProblems(AccessRules rules) {
        this.rules = rules;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearer.handle(request, response, denied);
        String endpoint = request.getMethod() + " " + request.getRequestURI();
        Optional<EndpointRule> rule = rules.ruleFor(request);
        if (rule.isEmpty() || rule.get().isOpen()) {
            Problems.write(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "Not allowed",
                    "no rule allows " + endpoint + ": this service refuses every endpoint it has not declared",
                    Map.of());
            return;
        }
        List<String> required = EnumSet.copyOf(rule.get().roles()).stream()
                .map(Role::claimValue)
                .toList();
        Problems.write(
                request,
                response,
                HttpStatus.FORBIDDEN,
                "Not allowed",
                endpoint + " needs the role " + String.join(" or ", required) + "; " + callersRoles(),
                Map.of("requiredRoles", required));
    }

    private static String callersRoles() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return "the request has no token";
        }
        Caller caller = CallerArgumentResolver.callerOf(token);
        if (caller.roles().isEmpty()) {
            return "the token has no role this API knows";
        }
        return (caller.roles().size() == 1 ? "the token has the role " : "the token has the roles ")
                + EnumSet.copyOf(caller.roles()).stream().map(Role::claimValue).collect(Collectors.joining(" and "));
    }
}
