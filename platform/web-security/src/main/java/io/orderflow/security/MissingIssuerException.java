package io.orderflow.security;

/** No token issuer is configured: the service does not start rather than serve its endpoints unchecked. */
final class MissingIssuerException extends StartupRefusal {

    static final String PROPERTY = "spring.security.oauth2.resourceserver.jwt.issuer-uri";
    static final String VARIABLE = "OAUTH2_ISSUER_URI";

    MissingIssuerException() {
        super("No token issuer is configured: set " + PROPERTY + " (environment " + VARIABLE
                + ") to the authorization server's issuer URL; without it this service cannot check a token, and"
                + " it does not start open");
    }

    @Override
    String action() {
        return "Set " + VARIABLE + " (or " + PROPERTY + ") to the issuer, such as http://127.0.0.1:9000; the"
                + " service finds the issuer's keys from its /.well-known/openid-configuration.";
    }
}
