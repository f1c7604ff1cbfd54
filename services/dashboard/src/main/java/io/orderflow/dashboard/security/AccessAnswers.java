package io.orderflow.dashboard.security;

import io.orderflow.security.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.HtmlUtils;

/**
 * What the dashboard answers a request it does not serve. For the API and the actuator (what scripts call): an RFC
 * 9457 problem ({@code application/problem+json}), 401 with {@code WWW-Authenticate: Bearer} or 403. For the pages
 * (what a browser opens): the way to the login, or a short page saying why not.
 */
final class AccessAnswers {

    private static final Logger log = LoggerFactory.getLogger(AccessAnswers.class);
    /** Seconds after which a request that met an unreachable issuer may be sent again. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final RequestMatcher machines;
    private final LoginUrlAuthenticationEntryPoint login;
    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    /**
     * @param machines  the requests answered with problems
     * @param loginPath where a browser starts the login
     */
    AccessAnswers(RequestMatcher machines, String loginPath) {
        this.machines = machines;
        this.login = new LoginUrlAuthenticationEntryPoint(loginPath);
    }

    /** Nobody is signed in, or the bearer token is not good: a problem for the API, the login for a page. */
    void unauthenticated(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException, ServletException {
        if (!machines.matches(request)) {
            login.commence(request, response, failure);
            return;
        }
        if (failure instanceof AuthenticationServiceException) {
            // The token's issuer cannot be reached to check it: the token may be good, and a 401 would say it is not.
            log.warn("Cannot check a bearer token: {}", failure.getMessage());
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            problem(
                    request,
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Token cannot be checked now",
                    "the token's issuer cannot be reached to check it; send the request again in a few seconds");
            return;
        }
        bearer.commence(request, response, failure);
        HttpStatus status = HttpStatus.valueOf(response.getStatus());
        problem(
                request,
                response,
                status,
                status == HttpStatus.UNAUTHORIZED ? "Not authenticated" : "Invalid bearer token request",
                failure instanceof OAuth2AuthenticationException invalid
                                && invalid.getError().getDescription() != null
                        ? "the bearer token is not accepted: "
                                + invalid.getError().getDescription()
                        : "sign in to the dashboard, or send an operator's access token as"
                                + " \"Authorization: Bearer <token>\"");
    }

    /** Signed in but refused: not an operator, or a state-changing request without its CSRF token. */
    void denied(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        boolean signedIn = who != null && who.isAuthenticated() && !(who instanceof AnonymousAuthenticationToken);
        if (denied instanceof CsrfException && !signedIn) {
            // Checked before anyone is authenticated; nobody is: that, not the token, is what the caller must fix.
            unauthenticated(request, response, new InsufficientAuthenticationException("not signed in", denied));
            return;
        }
        String name = signedIn ? who.getName() : "nobody";
        List<String> roles = Roles.of(who);
        if (denied instanceof CsrfException) {
            String detail = "a request with the dashboard's session cookie must carry the value of the XSRF-TOKEN"
                    + " cookie in the X-XSRF-TOKEN header (or a form's _csrf field); it was missing or wrong, and"
                    + " nothing was done";
            refuse(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "Missing or wrong CSRF token",
                    detail,
                    "Request refused",
                    "The request was refused: " + detail);
            return;
        }
        if (roles.contains(Roles.OPERATOR.toLowerCase(Locale.ROOT))) {
            // An operator is refused only what the dashboard does not serve (deny by default).
            String nothing = "the dashboard has nothing at " + request.getMethod() + " " + request.getRequestURI();
            refuse(request, response, HttpStatus.NOT_FOUND, "Not found", nothing, "Not found", nothing);
            return;
        }
        String detail = "the dashboard is for operators: " + name + " has "
                + (roles.isEmpty()
                        ? "no role"
                        : "the role" + (roles.size() > 1 ? "s " : " ") + String.join(", ", roles));
        if (machines.matches(request)) {
            problem(request, response, HttpStatus.FORBIDDEN, "Operators only", detail);
            return;
        }
        page(
                response,
                HttpStatus.FORBIDDEN,
                "Operators only",
                "<p>The Orderflow dashboard is for operators. You are signed in as <b>"
                        + HtmlUtils.htmlEscape(name) + "</b>, who "
                        + (roles.isEmpty() ? "has no role" : "is " + HtmlUtils.htmlEscape(String.join(", ", roles)))
                        + ".</p>" + signOut(request));
    }

    /** The login came back with an error, or could not start: say so, with the way to try again. */
    void loginFailed(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof IssuerRegistrations.IssuerUnavailableException)) {
            cause = cause.getCause();
        }
        if (cause != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            page(
                    response,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Sign-in unavailable",
                    "<p>Signing in is not possible now: " + HtmlUtils.htmlEscape(cause.getMessage())
                            + ".</p><p><a href=\"/\">Try again</a> in a few seconds.</p>");
            return;
        }
        String why = failure instanceof OAuth2AuthenticationException oauth2
                ? oauth2.getError().getErrorCode()
                        + (oauth2.getError().getDescription() == null
                                ? ""
                                : ": " + oauth2.getError().getDescription())
                : String.valueOf(failure.getMessage());
        log.info("A sign-in failed: {}", why);
        page(
                response,
                HttpStatus.UNAUTHORIZED,
                "Sign-in failed",
                "<p>Signing in failed: " + HtmlUtils.htmlEscape(why) + ".</p><p><a href=\"/\">Sign in again</a></p>");
    }

    /** A sign-out button, with the request's CSRF token (masked, as Spring renders it into a page). */
    private static String signOut(HttpServletRequest request) {
        if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken csrf)) {
            return "";
        }
        return "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\""
                + HtmlUtils.htmlEscape(csrf.getParameterName()) + "\" value=\""
                + HtmlUtils.htmlEscape(csrf.getToken()) + "\"><button type=\"submit\">Sign out</button></form>";
    }

    /**
     * A problem for the API, a page for a browser: {@code sentence} is the page's text, with a way back to the
     * dashboard.
     */
    private void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String title,
            String detail,
            String pageTitle,
            String sentence)
            throws IOException {
        if (machines.matches(request)) {
            problem(request, response, status, title, detail);
        } else {
            page(
                    response,
                    status,
                    pageTitle,
                    "<p>" + HtmlUtils.htmlEscape(sentence) + ".</p><p><a href=\"/\">Back to the dashboard</a></p>");
        }
    }

    private static void problem(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        Problems.write(request, response, status, title, detail, Map.of());
    }

    private static void page(HttpServletResponse response, HttpStatus status, String title, String body)
            throws IOException {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + HtmlUtils.htmlEscape(title) + " · Orderflow dashboard</title>"
                + "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}"
                + "button{font:inherit}</style></head><body><h1>"
                + HtmlUtils.htmlEscape(title) + "</h1>" + body + "</body></html>\n";
        response.setStatus(status.value());
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    AccessDeniedHandler deniedHandler() {
        return this::denied;
    }

    AuthenticationFailureHandler loginFailureHandler() {
        return this::loginFailed;
    }
}
