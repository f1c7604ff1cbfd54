package io.orderflow.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent the request, from its verified access token: a controller method takes it as a parameter.
 *
 * @param id    the customer's id when a customer signed in (such as {@code alice}), the client's id for a client's
 *              own token (client credentials); from the claim {@code orderflow.security.customer-claim} names
 * @param roles the roles of the token this system knows; unknown ones are left out
 */
public record Caller(String id, Set<Role> roles) {

    public Caller {
        Objects.requireNonNull(id, "id");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isCustomer() {
        return has(Role.CUSTOMER);
    }

    public boolean isOperator() {
        return has(Role.OPERATOR);
    }

    public boolean isStorefront() {
        return has(Role.STOREFRONT);
    }

    /** An operator or the storefront: they act for every customer, not for one. */
    public boolean actsForAnyCustomer() {
        return isOperator() || isStorefront();
    }

    /**
     * Whether this caller may see or act on what belongs to the customer: one who acts for any customer, or a
     * customer who is that customer. A token with no role acts for nobody, even when its id is the customer's.
     */
    public boolean mayActFor(String customerId) {
        return actsForAnyCustomer() || (isCustomer() && id.equals(customerId));
    }
}
