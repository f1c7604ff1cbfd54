package io.orderflow.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;

/**
 * Spring Authorization Server, configured here rather than by Spring Boot's auto-configuration (which stays off the
 * class path every service shares): the OAuth2 and OpenID Connect endpoints, form login for the authorization code
 * flow, the realm's users and clients, and access tokens that are RS256 JWTs for the audience {@value
 * AuthServerApplication#AUDIENCE} carrying the {@value AuthServerApplication#ROLES_CLAIM} the services authorize by.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class AuthorizationServerConfiguration {

    static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    /** Where Spring Boot puts them: after its own request-wrapping filters, before anything of the application. */
    private static final int SECURITY_FILTER_ORDER = -100;

    /**
     * One chain for everything. The protocol endpoints answer by themselves (discovery, JWKS) or authenticate the
     * client (token); the authorization endpoint, like any other page, sends an unauthenticated browser to the login
     * form, and back once logged in.
     */
    @Bean
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> server.oidc(Customizer.withDefaults()))
                // The error page shows a refused request (an unregistered redirect URI) as what it is, to anyone.
                .authorizeHttpRequests(requests -> requests.requestMatchers("/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    /**
     * The security filters in front of everything, errors included, as Spring Boot's security auto-configuration
     * would register them (it stays off the shared class path).
     */
    @Bean
    DelegatingFilterProxyRegistrationBean securityFilterChainRegistration() {
        DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean(
                AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME);
        registration.setOrder(SECURITY_FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
        return registration;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthServerApplication.Issuer issuer) {
        return AuthorizationServerSettings.builder().issuer(issuer.uri()).build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(Realm realm, PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(realm.users().stream()
                .map(user -> User.withUsername(user.username())
                        .password(encoder.encode(user.password()))
                        .roles(user.roles().toArray(String[]::new))
                        .build())
                .toList());
    }

    @Bean
    RegisteredClientRepository clients(Realm realm, PasswordEncoder encoder) {
        return new InMemoryRegisteredClientRepository(realm.clients().stream()
                .map(client -> registered(client, encoder))
                .toList());
    }

    private static RegisteredClient registered(Realm.Client client, PasswordEncoder encoder) {
        RegisteredClient.Builder builder = RegisteredClient.withId(
                        UUID.nameUUIDFromBytes(client.clientId().getBytes()).toString())
                .clientId(client.clientId())
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(client.requireProofKey())
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(ACCESS_TOKEN_TTL)
                        .build());
        if (client.isPublic()) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            builder.clientSecret(encoder.encode(client.secret()))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        }
        client.grantTypes().forEach(grant -> builder.authorizationGrantType(new AuthorizationGrantType(grant)));
        client.redirectUris().forEach(builder::redirectUri);
        client.scopes().forEach(builder::scope);
        return builder.build();
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey signingKey) {
        return new ImmutableJWKSet<>(new JWKSet(signingKey));
    }

    /** For the OpenID Connect user info endpoint, which accepts the server's own access tokens. */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    }

    /**
     * Access tokens for the audience the services accept, with the roles they authorize by: a user's for a login, a
     * client's own for client credentials. ID tokens keep their audience (the client) and carry the roles too.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(Realm realm) {
        return context -> {
            boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
            boolean idToken =
                    OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
            if (!accessToken && !idToken) {
                return;
            }
            List<String> roles = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                    ? realm.client(context.getRegisteredClient().getClientId())
                            .map(Realm.Client::roles)
                            .orElse(List.of())
                    : realm.user(context.getPrincipal().getName())
                            .map(Realm.User::roles)
                            .orElse(List.of());
            context.getClaims().claim(AuthServerApplication.ROLES_CLAIM, roles);
            if (accessToken) {
                context.getClaims().audience(List.of(AuthServerApplication.AUDIENCE));
            }
        };
    }
}
