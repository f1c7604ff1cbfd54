package io.orderflow.security;

import java.util.Optional;

/** What a caller may be, as the token's roles claim names it. */
public enum Role {
    /** A person ordering for themself: acts only for the customer the token names. */
    CUSTOMER("customer"),
    /** Someone running the system: sees every order, the actuator and the ops routes. */
    OPERATOR("operator"),
    /** The shop's backend, a client with its own credentials: places and reads orders for any customer. */
    STOREFRONT("storefront");

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    /** The role as the token carries it, such as {@code customer}. */
    public String claimValue() {
        return claimValue;
    }

    /** The role as Spring Security checks it, such as {@code ROLE_CUSTOMER}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role a claim value names; empty for one this system does not know, which grants nothing. */
    public static Optional<Role> fromClaimValue(String value) {
        for (Role role : values()) {
            if (role.claimValue.equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The role an authority such as {@code ROLE_OPERATOR} stands for; empty for any other authority. */
    static Optional<Role> fromAuthority(String authority) {
        for (Role role : values()) {
            if (role.authority().equals(authority)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
