package io.orderflow.dashboard.security;

import io.orderflow.security.GuardedJwtDecoder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientPropertiesMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;

/**
 * The dashboard is for operators, and everything of it but the health probes needs one:
 *
 * <ul>
 *   <li>a browser signs in at the issuer (OpenID Connect, authorization code with PKCE, registration {@value
 *       #LOGIN_REGISTRATION}) and keeps a session; the ID token's {@code roles} must hold {@code operator}, anyone
 *       else gets a page saying the dashboard is for operators;
 *   <li>a script calls {@code /api/**} or {@code /actuator/**} with an operator's bearer access token instead (the
 *       audience {@code orderflow}, as the services check it), and without either gets a 401 problem, never the login
 *       page;
 *   <li>a state-changing request with the session cookie carries the CSRF token, which the page's script reads from
 *       the {@code XSRF-TOKEN} cookie and sends as {@code X-XSRF-TOKEN}; one with a bearer token needs none, as no
 *       cookie authenticates it;
 *   <li>what no rule names is refused.
 * </ul>
 *
 * <p>The services are read with the dashboard's own token (client credentials, registration {@value
 * ClientCredentialsToken#REGISTRATION}), not with an operator's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OAuth2ClientProperties.class)
class DashboardSecurity {

    static final String LOGIN_REGISTRATION = "orderflow";
    /** Where a browser is sent to sign in: Spring's redirect to the issuer's authorization endpoint. */
    static final String LOGIN =
            OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI + "/" + LOGIN_REGISTRATION;

    private static final String CLIENT_PROPERTIES = "spring.security.oauth2.client.";
    private static final RequestMatcher MACHINES = new OrRequestMatcher(
            PathPatternRequestMatcher.pathPattern("/api/**"), PathPatternRequestMatcher.pathPattern("/actuator/**"));

    /**
     * The registrations of {@code spring.security.oauth2.client}, completed from the issuer when first used.
     *
     * @throws MissingSettingException without an issuer or a client secret
     */
    @Bean
    IssuerRegistrations clientRegistrationRepository(OAuth2ClientProperties properties) {
        String issuer = null;
        for (String id : new String[] {LOGIN_REGISTRATION, ClientCredentialsToken.REGISTRATION}) {
            OAuth2ClientProperties.Registration registration =
                    properties.getRegistration().get(id);
            if (registration == null) {
                throw new IllegalStateException("the dashboard's configuration lacks the client registration "
                        + CLIENT_PROPERTIES + "registration." + id);
            }
            String providerId = registration.getProvider() == null ? id : registration.getProvider();
            OAuth2ClientProperties.Provider provider = properties.getProvider().get(providerId);
            if (provider == null || !StringUtils.hasText(provider.getIssuerUri())) {
                throw MissingSettingException.issuer(CLIENT_PROPERTIES + "provider." + providerId + ".issuer-uri");
            }
            if (!StringUtils.hasText(registration.getClientSecret())) {
                throw MissingSettingException.clientSecret(CLIENT_PROPERTIES + "registration." + id + ".client-secret");
            }
            issuer = provider.getIssuerUri();
        }
        return new IssuerRegistrations(issuer, () -> discover(properties));
    }

    private static Map<String, ClientRegistration> discover(OAuth2ClientProperties properties) {
        return new OAuth2ClientPropertiesMapper(properties).asClientRegistrations();
    }

    @Bean(destroyMethod = "close")
    ClientCredentialsToken serviceToken(IssuerRegistrations registrations) {
        return new ClientCredentialsToken(registrations);
    }

    @Bean
    SecurityFilterChain dashboardSecurityFilterChain(
            HttpSecurity http,
            IssuerRegistrations registrations,
            ObjectProvider<JwtDecoder> decoders,
            @Value("${orderflow.security.roles-claim:roles}") String rolesClaim)
            throws Exception {
        JwtDecoder decoder = decoders.getIfAvailable();
        if (decoder == null) {
            throw MissingSettingException.issuer("spring.security.oauth2.resourceserver.jwt.issuer-uri");
        }
        AccessAnswers answers = new AccessAnswers(MACHINES, LOGIN);
        // A bearer token whose issuer cannot be reached to check it is a 503, not Spring's rethrown 500.
        AuthenticationEntryPointFailureHandler bearerFailures =
                new AuthenticationEntryPointFailureHandler(answers::unauthenticated);
        bearerFailures.setRethrowAuthenticationServiceException(false);
        // Only a page is returned to after the login; asking the API without a session must not create one.
        HttpSessionRequestCache pages = new HttpSessionRequestCache();
        pages.setRequestMatcher(new AndRequestMatcher(
                PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/**"), new NegatedRequestMatcher(MACHINES)));

        http.authorizeHttpRequests(requests -> requests
                        // The error page of a request the rules already let in.
                        .dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        // The probes: anyone sees UP or DOWN, operators the components too.
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/actuator/**", "/api/**")
                        .hasRole(Roles.OPERATOR)
                        .requestMatchers(
                                HttpMethod.GET,
                                "/",
                                "/index.html",
                                "/dashboard.js",
                                "/dashboard.css",
                                "/page.js",
                                "/catalogue.html",
                                "/catalogue.js")
                        .hasRole(Roles.OPERATOR)
                        .anyRequest()
                        .denyAll())
                .oauth2Login(login -> login.loginPage(LOGIN)
                        // PKCE: Spring Security 7 sends code_challenge (S256) for every client whose registration
                        // requires a proof key, which is the default, confidential ones included.
                        .userInfoEndpoint(user -> user.userAuthoritiesMapper(Roles.fromIdToken(rolesClaim)))
                        .failureHandler(answers.loginFailureHandler())
                        .addObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {
                            @Override
                            public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
                                // Spring answers a login that cannot start (the issuer is down) with a bare 500.
                                filter.setAuthenticationFailureHandler(answers.loginFailureHandler());
                                return filter;
                            }
                        }))
                .oauth2ResourceServer(bearer -> {
                    bearer.bearerTokenResolver(onlyFor(MACHINES))
                            .jwt(jwt -> jwt.decoder(new GuardedJwtDecoder(decoder))
                                    .jwtAuthenticationConverter(Roles.fromAccessToken(rolesClaim)))
                            .authenticationEntryPoint(answers::unauthenticated)
                            .accessDeniedHandler(answers.deniedHandler());
                    bearer.addObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                        @Override
                        public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                            filter.setAuthenticationFailureHandler(bearerFailures);
                            return filter;
                        }
                    });
                })
                // The cookie token repository, readable by the page's script, and the header it sends.
                // Only where a bearer token is what authenticates: elsewhere the session cookie does, whatever header
                // comes.
                .csrf(csrf -> csrf.spa()
                        .ignoringRequestMatchers(new AndRequestMatcher(MACHINES, DashboardSecurity::hasBearerToken)))
                .logout(logout -> logout.logoutSuccessHandler(signedOutAtTheIssuer(registrations)))
                .requestCache(cache -> cache.requestCache(pages))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(answers::unauthenticated)
                        .accessDeniedHandler(answers.deniedHandler()));
        return http.build();
    }

    /**
     * A request that sends a bearer token is authenticated by it alone, so a forged cross-site request, which carries
     * the victim's cookies but cannot set this header, gains nothing; one with a bad token is refused outright.
     */
    private static boolean hasBearerToken(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** Bearer tokens are taken where scripts call, not on the pages. */
    private static BearerTokenResolver onlyFor(RequestMatcher requests) {
        DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
        return request -> requests.matches(request) ? tokens.resolve(request) : null;
    }

    /**
     * Signing out of the dashboard signs out of the issuer too (OpenID Connect RP-initiated logout), or the next
     * visit would sign the same person in again without a word. Where the issuer cannot be reached, the dashboard's
     * session is ended all the same.
     */
    private static LogoutSuccessHandler signedOutAtTheIssuer(IssuerRegistrations registrations) {
        OidcClientInitiatedLogoutSuccessHandler issuer = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        return (request, response, authentication) -> {
            try {
                issuer.onLogoutSuccess(request, response, authentication);
            } catch (IssuerRegistrations.IssuerUnavailableException e) {
                response.sendRedirect(request.getContextPath() + "/");
            }
        };
    }
}
