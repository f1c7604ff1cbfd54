package io.orderflow.security;

/** The audience is set where this module does not read it: two settings that could disagree, so neither is taken. */
final class ConflictingAudienceException extends StartupRefusal {

    ConflictingAudienceException() {
        super("spring.security.oauth2.resourceserver.jwt.audiences is set, but this service's audience is"
                + " orderflow.security.audience, the one place it is set");
    }

    @Override
    String action() {
        return "Remove spring.security.oauth2.resourceserver.jwt.audiences and set orderflow.security.audience"
                + " (default orderflow) to the audience the tokens carry.";
    }
}
