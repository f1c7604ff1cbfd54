package io.orderflow.dashboard.security;

import io.orderflow.dashboard.probe.ServiceToken;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * The dashboard's own access token, by the client-credentials grant of the registration {@value #REGISTRATION}, from
 * Spring Security's {@link OAuth2AuthorizedClientManager}: kept while it is valid, asked for again
 * {@value #RENEW_BEFORE_EXPIRY_SECONDS} s before it expires, and forgotten when a service refuses it.
 *
 * <p>One request to the issuer at a time, on a thread of its own, which a caller waits for at most {@link #WAIT}: an
 * issuer that is down or hangs makes every service read "unauthorized" with the reason within a refresh, instead of
 * holding the refresh up (reading the issuer's metadata alone may take Spring 30 s to give up).
 */
final class ClientCredentialsToken implements ServiceToken, AutoCloseable {

    static final String REGISTRATION = "orderflow-services";
    static final Duration WAIT = Duration.ofSeconds(2);
    static final long RENEW_BEFORE_EXPIRY_SECONDS = 60;
    private static final String NO_RESPONSE =
            "An error occurred while attempting to retrieve the OAuth 2.0 Access Token Response: ";
    /** The name the token is kept under: the dashboard itself, not a person. */
    private static final String PRINCIPAL = "dashboard";

    private final String issuer;
    private final OAuth2AuthorizedClientService clients;
    private final OAuth2AuthorizedClientManager manager;
    private final ExecutorService requests = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dashboard-token");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<OAuth2AuthorizedClient> inFlight;

    ClientCredentialsToken(IssuerRegistrations registrations) {
        this.issuer = registrations.issuer();
        this.clients = new InMemoryOAuth2AuthorizedClientService(registrations);
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(grant -> grant.accessTokenResponseClient(tokenEndpoint())
                        .clockSkew(Duration.ofSeconds(RENEW_BEFORE_EXPIRY_SECONDS)))
                .build());
        this.manager = manager;
    }

    @Override
    public String current() {
        CompletableFuture<OAuth2AuthorizedClient> authorized;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(this::authorize, requests);
            }
            authorized = inFlight;
        }
        try {
            return authorized
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .getAccessToken()
                    .getTokenValue();
        } catch (TimeoutException e) {
            throw new UnavailableException(
                    "the issuer " + issuer + " did not answer within " + WAIT.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new UnavailableException(describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while asking " + issuer + " for a token", e);
        }
    }

    @Override
    public void refused() {
        clients.removeAuthorizedClient(REGISTRATION, PRINCIPAL);
    }

    private OAuth2AuthorizedClient authorize() {
        OAuth2AuthorizedClient client = manager.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
                .principal(PRINCIPAL)
                .build());
        if (client == null) {
            throw new IllegalStateException("the registration " + REGISTRATION + " cannot use client credentials");
        }
        return client;
    }

    private String describe(Throwable failure) {
        if (failure instanceof IssuerRegistrations.IssuerUnavailableException unavailable) {
            return unavailable.getMessage();
        }
        if (failure instanceof OAuth2AuthorizationException refused) {
            OAuth2Error error = refused.getError();
            String description = error.getDescription() == null ? "" : firstLine(error.getDescription());
            if (description.startsWith(NO_RESPONSE)) {
                // Spring's wording for any answer it could not take (a 401 from the issuer, a connection refused).
                return "the issuer " + issuer + " gave no token: " + description.substring(NO_RESPONSE.length());
            }
            return "the issuer " + issuer + " gave no token (" + error.getErrorCode() + ")"
                    + (description.isEmpty() ? "" : ": " + description);
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : firstLine(failure.getMessage());
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }

    /**
     * Spring's token client, on a client with timeouts: Spring's own has none, so the one request to the issuer at a
     * time could hang for good.
     */
    private static RestClientClientCredentialsTokenResponseClient tokenEndpoint() {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                java.net.http.HttpClient.newBuilder().connectTimeout(WAIT).build());
        factory.setReadTimeout(Duration.ofSeconds(10));
        RestClientClientCredentialsTokenResponseClient client = new RestClientClientCredentialsTokenResponseClient();
        client.setRestClient(RestClient.builder()
                .requestFactory(factory)
                .configureMessageConverters(converters -> {
                    converters.addCustomConverter(new FormHttpMessageConverter());
                    converters.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        return client;
    }

    @Override
    public void close() {
        requests.shutdownNow();
    }
}
