package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplePathsTest {

    @Test
    void replacesEachVariableAndWildcardBySomethingItMatches() {
        assertThat(SamplePaths.of("/orders/{id}")).isEqualTo("/orders/sample");
        assertThat(SamplePaths.of("/orders/{id}/items/{item}")).isEqualTo("/orders/sample/items/sample");
        assertThat(SamplePaths.of("/orders/{id:\\d+}")).isEqualTo("/orders/1");
        assertThat(SamplePaths.of("/orders/{id:[a-z]+}")).isEqualTo("/orders/sample");
        assertThat(SamplePaths.of("/orders/{id:\\d{3}}")).isEqualTo("/orders/sample");
        assertThat(SamplePaths.of("/orders/{id:[0-9a-f-]{36}}"))
                .isEqualTo("/orders/00000000-0000-0000-0000-000000000001");
        assertThat(SamplePaths.of("/files/{*path}")).isEqualTo("/files/sample");
        assertThat(SamplePaths.of("/ops/**")).isEqualTo("/ops/sample");
        assertThat(SamplePaths.of("/files/*.txt")).isEqualTo("/files/sample.txt");
        assertThat(SamplePaths.of("/v?/orders")).isEqualTo("/vx/orders");
        assertThat(SamplePaths.of("")).isEqualTo("/");
    }
}
