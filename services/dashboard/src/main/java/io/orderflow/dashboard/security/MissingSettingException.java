package io.orderflow.dashboard.security;

/**
 * A setting the dashboard cannot sign anyone in without is missing: it does not start, rather than start with its
 * pages unprotected or unusable. {@link MissingSettingFailureAnalyzer} prints the message as Spring Boot's one-line
 * description of the failure, and what to do.
 */
final class MissingSettingException extends IllegalStateException {

    static final String ISSUER_VARIABLE = "OAUTH2_ISSUER_URI";
    static final String SECRET_VARIABLE = "DASHBOARD_CLIENT_SECRET";

    private final String action;

    private MissingSettingException(String message, String action) {
        super(message);
        this.action = action;
    }

    static MissingSettingException issuer(String property) {
        return new MissingSettingException(
                "The dashboard has no token issuer: set " + ISSUER_VARIABLE + " (or " + property + ") to the"
                        + " authorization server's issuer URL; without it nobody can sign in and no service can be read",
                "Set " + ISSUER_VARIABLE + " to the issuer, such as http://127.0.0.1:9000 (./orderflow up passes the"
                        + " local stack's); the dashboard reads the rest from its /.well-known/openid-configuration.");
    }

    static MissingSettingException clientSecret(String property) {
        return new MissingSettingException(
                "The dashboard has no client secret: set " + SECRET_VARIABLE + " (or " + property + ") to the"
                        + " secret of its client at the issuer; without it nobody can sign in and no service can be"
                        + " read",
                "Set " + SECRET_VARIABLE + " to the secret the authorization server holds for the dashboard's client"
                        + " (./orderflow up passes the local stack's).");
    }

    String action() {
        return action;
    }
}
