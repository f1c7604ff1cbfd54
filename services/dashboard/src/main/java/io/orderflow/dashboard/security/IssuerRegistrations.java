package io.orderflow.dashboard.security;

import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * The dashboard's client registrations, completed from the issuer's discovery document ({@code
 * /.well-known/openid-configuration}) when first needed rather than at start, as Spring Boot's own repository does:
 * the dashboard starts, and shows what it can, while the issuer is down. A failed discovery is tried again at the next
 * use; a successful one is kept.
 */
final class IssuerRegistrations implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(IssuerRegistrations.class);

    private final String issuer;
    private final Supplier<Map<String, ClientRegistration>> discovery;
    private volatile Map<String, ClientRegistration> registrations;

    /**
     * @param issuer    the issuer's URL, for messages
     * @param discovery the registrations as the issuer's metadata completes them (Spring Boot's properties mapper)
     */
    IssuerRegistrations(String issuer, Supplier<Map<String, ClientRegistration>> discovery) {
        this.issuer = issuer;
        this.discovery = discovery;
    }

    String issuer() {
        return issuer;
    }

    /**
     * @throws IssuerUnavailableException when the issuer's metadata cannot be read now
     */
    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        return registrations().get(registrationId);
    }

    private Map<String, ClientRegistration> registrations() {
        Map<String, ClientRegistration> known = registrations;
        if (known == null) {
            synchronized (this) {
                known = registrations;
                if (known == null) {
                    try {
                        known = Map.copyOf(discovery.get());
                    } catch (RuntimeException e) {
                        IssuerUnavailableException unavailable = new IssuerUnavailableException(issuer, e);
                        log.warn(unavailable.getMessage());
                        throw unavailable;
                    }
                    registrations = known;
                    log.info("Read the metadata of the issuer {}", issuer);
                }
            }
        }
        return known;
    }

    /**
     * The issuer's metadata cannot be read now. An authentication failure, so that a sign-in that meets it is answered
     * by the dashboard's failure page rather than by a server error.
     */
    static final class IssuerUnavailableException extends AuthenticationServiceException {

        IssuerUnavailableException(String issuer, Throwable cause) {
            super("the issuer " + issuer + " cannot be reached: " + oneLine(cause), cause);
        }

        private static String oneLine(Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return message.lines().findFirst().orElse(message);
        }
    }
}
