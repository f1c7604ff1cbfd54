package io.orderflow.eventing.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

    @Test
    void anErrorTextHoldsNoNulAndIsBounded() {
        assertThat(ErrorText.of("HTTP 409 {\"error\":\"bad\u0000body\"}"))
                .isEqualTo("HTTP 409 {\"error\":\"bad\\0body\"}");
        String huge = "x".repeat(ErrorText.MAX_LENGTH - 1) + "\uD83D\uDCB6" + "y".repeat(5000);
        String stored = ErrorText.of(huge);
        assertThat(stored).hasSize(ErrorText.MAX_LENGTH).endsWith("x…");
        assertThat(ErrorText.of(null)).isEqualTo("no detail");
    }
}
