package io.orderflow.dashboard.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who is signed in, for the page's "signed in as" and its sign-out form: the name, the roles, and the CSRF token a form
 * posts (masked, as Spring renders a token into a page; the page's script sends the cookie's value as a header
 * instead).
 */
@RestController
class AccountController {

    @GetMapping("/api/me")
    Map<String, Object> me(Authentication who, CsrfToken csrf) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", who.getName());
        me.put("roles", Roles.of(who));
        me.put("csrf", Map.of("parameterName", csrf.getParameterName(), "token", csrf.getToken()));
        return me;
    }
}
