package io.orderflow.dashboard.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP orderflow_consumer_handled_total
            # TYPE orderflow_consumer_handled_total counter
            orderflow_consumer_handled_total{consumer="payment-service",topic="inventory.events"} 1200.0
            orderflow_consumer_handled_total{consumer="payment-service-orders",topic="orders.events"} 34.0
            orderflow_outbox_backlog 7.0
            resilience4j_circuitbreaker_state{name="payment-provider",state="closed"} 0.0
            resilience4j_circuitbreaker_state{name="payment-provider",state="open"} 1.0
            odd_label{reason="says \\"no\\", twice"} 2.0
            not a sample
            broken_value{a="b"} NaNx
            """;

    @Test
    void sumsEverySeriesOfAMetricOrThoseWithTheGivenLabels() {
        PrometheusText metrics = PrometheusText.parse(SCRAPE);

        assertThat(metrics.sum("orderflow_consumer_handled_total")).isEqualTo(1234.0);
        assertThat(metrics.sum("orderflow_consumer_handled_total", Map.of("topic", "orders.events"))).isEqualTo(34.0);
        assertThat(metrics.sum("orderflow_outbox_backlog")).isEqualTo(7.0);
        assertThat(metrics.sum("absent_metric")).isZero();
        assertThat(metrics.sum("resilience4j_circuitbreaker_state", Map.of("state", "open"))).isEqualTo(1.0);
    }

    @Test
    void readsEscapedLabelValuesAndSkipsWhatIsNotASample() {
        PrometheusText metrics = PrometheusText.parse(SCRAPE);

        assertThat(metrics.all("odd_label")).singleElement()
                .satisfies(sample -> assertThat(sample.labels()).containsEntry("reason", "says \"no\", twice"));
        assertThat(metrics.all("broken_value")).isEmpty();
        assertThat(metrics.all("not")).isEmpty();
    }
}
