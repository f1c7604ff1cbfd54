package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void aCustomerActsOnlyForThemself() {
        Caller alice = new Caller("alice", Set.of(Role.CUSTOMER));

        assertThat(alice.isCustomer()).isTrue();
        assertThat(alice.actsForAnyCustomer()).isFalse();
        assertThat(alice.mayActFor("alice")).isTrue();
        assertThat(alice.mayActFor("bob")).isFalse();
    }

    @Test
    void operatorsAndTheStorefrontActForAnyCustomer() {
        assertThat(new Caller("ops", Set.of(Role.OPERATOR)).mayActFor("bob")).isTrue();
        assertThat(new Caller("shop", Set.of(Role.STOREFRONT)).mayActFor("bob")).isTrue();
        assertThat(new Caller("shop", Set.of(Role.STOREFRONT)).isOperator()).isFalse();
    }

    @Test
    void aTokenWithoutARoleActsForNobodyEvenItsOwnId() {
        assertThat(new Caller("alice", Set.of()).mayActFor("alice")).isFalse();
    }
}
