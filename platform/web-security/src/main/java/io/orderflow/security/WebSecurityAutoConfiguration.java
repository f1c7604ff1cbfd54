package io.orderflow.security;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Makes a servlet service an OAuth2 resource server that takes JWT access tokens and refuses by default: every
 * request needs a rule ({@link AccessRules}: the platform's and the service's {@link EndpointRules} beans), every
 * endpoint must have one at start ({@link RuleCoverageCheck}), and errors are problems ({@link TokenProblems},
 * {@link AccessProblems}). Stateless: no session, no cookie, so no CSRF; no login form, no basic authentication.
 *
 * <p>Tokens are checked by Spring Boot's decoder from {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
 * (signature with the issuer's published keys, {@code iss}, {@code exp}, {@code nbf}), with this module's validators
 * added: the audience, the caller's claim, an expiry required, the access-token types.
 *
 * <p>Before Boot's security auto-configurations, so that theirs back off for this chain. An application with a
 * {@link SecurityFilterChain} of its own keeps it, without this module's chain and checks; {@code
 * orderflow.security.resource-server.enabled=false} switches the whole module off (the dashboard).
 */
@AutoConfiguration(
        before = {
            OAuth2ResourceServerAutoConfiguration.class,
            ServletWebSecurityAutoConfiguration.class,
            ManagementWebSecurityAutoConfiguration.class,
            SecurityAutoConfiguration.class,
            UserDetailsServiceAutoConfiguration.class
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "orderflow.security.resource-server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebSecurityProperties.class)
public class WebSecurityAutoConfiguration {

    /** Access tokens as RFC 9068 types them, and plain JWTs (Keycloak's, Spring's); Spring's default is JWT only. */
    static final List<String> ACCESS_TOKEN_TYPES = List.of("JWT", "at+jwt", "application/at+jwt");

    @Bean
    @ConditionalOnMissingBean
    AccessRules accessRules(ObjectProvider<EndpointRules> rules) {
        return AccessRules.of(rules.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    AccessEndpoint accessEndpoint(ApplicationContext context) {
        return new AccessEndpoint(context);
    }

    @Bean
    WebMvcConfigurer callerParameter() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver());
            }
        };
    }

    /*
     * The validators below are beans so that Boot's decoder adds them to its own (issuer, timestamps); as Spring
     * adds its defaults only for the types missing, the timestamp and type validators here replace Spring's.
     */

    @Bean
    AudienceValidator orderflowAudienceValidator(WebSecurityProperties properties) {
        return new AudienceValidator(properties.audience());
    }

    @Bean
    CallerClaimValidator orderflowCallerClaimValidator(WebSecurityProperties properties) {
        return new CallerClaimValidator(properties.customerClaim());
    }

    /** Spring's, with one change: a token without {@code exp} is refused, where Spring takes it as never expiring. */
    @Bean
    JwtTimestampValidator orderflowTimestampValidator() {
        JwtTimestampValidator validator = new JwtTimestampValidator();
        validator.setAllowEmptyExpiryClaim(false);
        return validator;
    }

    @Bean
    JwtTypeValidator orderflowTypeValidator() {
        JwtTypeValidator validator = new JwtTypeValidator(ACCESS_TOKEN_TYPES);
        validator.setAllowEmpty(true);
        return validator;
    }

    /** This module's filter chain, unless the application has one of its own. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    static class ResourceServerChain {

        @Bean
        SecurityFilterChain orderflowSecurityFilterChain(
                HttpSecurity http,
                ObjectProvider<JwtDecoder> decoders,
                OAuth2ResourceServerProperties resourceServer,
                WebSecurityProperties properties,
                AccessRules rules) {
            String issuer = resourceServer.getJwt().getIssuerUri();
            JwtDecoder decoder = decoders.getIfAvailable();
            if (!StringUtils.hasText(issuer) || decoder == null) {
                throw new MissingIssuerException();
            }
            if (!resourceServer.getJwt().getAudiences().isEmpty()) {
                throw new ConflictingAudienceException();
            }
            TokenProblems tokenProblems = new TokenProblems(issuer);
            AccessProblems accessProblems = new AccessProblems(rules);
            AuthenticationEntryPointFailureHandler failures = new AuthenticationEntryPointFailureHandler(tokenProblems);
            // Spring rethrows an issuer it cannot reach (AuthenticationServiceException): a 500. TokenProblems
            // answers it with a 503 instead.
            failures.setRethrowAuthenticationServiceException(false);

            http.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .csrf(AbstractHttpConfigurer::disable)
                    .httpBasic(AbstractHttpConfigurer::disable)
                    .formLogin(AbstractHttpConfigurer::disable)
                    .logout(AbstractHttpConfigurer::disable)
                    .requestCache(AbstractHttpConfigurer::disable)
                    .authorizeHttpRequests(requests -> {
                        // The error page of a request the rules already let in (Boot forwards there on an error).
                        requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                        for (EndpointRule rule : rules.rules()) {
                            var matched = requests.requestMatchers(rule.requestMatcher());
                            if (rule.isOpen()) {
                                matched.permitAll();
                            } else {
                                matched.hasAnyRole(
                                        rule.roles().stream().map(Role::name).toArray(String[]::new));
                            }
                        }
                        requests.anyRequest().denyAll();
                    })
                    .oauth2ResourceServer(oauth2 -> {
                        oauth2.jwt(jwt -> jwt.decoder(new GuardedJwtDecoder(decoder))
                                        .jwtAuthenticationConverter(authenticationConverter(properties)))
                                .authenticationEntryPoint(tokenProblems)
                                .accessDeniedHandler(accessProblems)
                                .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(
                                        resource -> resource.authorizationServer(issuer)));
                        oauth2.addObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(failures);
                                return filter;
                            }
                        });
                    })
                    .exceptionHandling(exceptions ->
                            exceptions.authenticationEntryPoint(tokenProblems).accessDeniedHandler(accessProblems));
            return http.build();
        }

        @Bean
        @ConditionalOnMissingBean
        RequestRejectedHandler requestRejectedHandler() {
            return new RejectedRequests();
        }

        @Bean
        @ConditionalOnBooleanProperty(name = "orderflow.security.require-rules", matchIfMissing = true)
        RuleCoverageCheck ruleCoverageCheck(ApplicationContext context, AccessRules rules) {
            return new RuleCoverageCheck(context, rules);
        }

        private static JwtAuthenticationConverter authenticationConverter(WebSecurityProperties properties) {
            JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
            converter.setPrincipalClaimName(properties.customerClaim());
            converter.setJwtGrantedAuthoritiesConverter(new RoleAuthorities(properties.rolesClaim()));
            return converter;
        }
    }
}
