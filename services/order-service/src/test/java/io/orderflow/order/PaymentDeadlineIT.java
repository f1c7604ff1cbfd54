package io.orderflow.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderflow.contracts.Topics;
import io.orderflow.contracts.orders.CancellationReason;
import io.orderflow.contracts.orders.OrderCancellationRequested;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.envelope.Envelope;
import io.orderflow.eventing.serde.EventSerdes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Payment deadlines are rows in PostgreSQL, not timers in memory: an order placed before a restart is still cancelled
 * when its payment does not come, and a paid order's deadline is gone. Time is the service's {@link Clock}, moved
 * by the test past the deadline: nothing waits for it to pass.
 */
class PaymentDeadlineIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PAYMENT_TIMEOUT = Duration.ofMinutes(15);

    @Test
    void anUnpaidOrderIsCancelledAfterItsDeadlineEvenAcrossARestartAndAPaidOneIsNot() {
        UUID unpaid;
        UUID paid;
        Instant due;
        SettableClock clock = new SettableClock(Instant.now());
        try (ConfigurableApplicationContext first = start(clock)) {
            try (SagaFixture saga = fixture(first)) {
                TestCatalogue.list(first.getBean(JdbcClient.class), "KB-001", "EUR", "10.25");
                unpaid = saga.place();
                paid = saga.place();
                Envelope reserved = saga.deliver(paid, Topics.INVENTORY, OrderSagaIT.stockReserved(paid), null);
                saga.deliver(paid, Topics.PAYMENTS, OrderSagaIT.paymentAuthorized(paid), reserved);
                await().atMost(WAIT).until(() -> saga.status(paid).equals("PAID"));
                due = Instant.parse(saga.order(unpaid).path("paymentDue").asString());
                assertThat(due)
                        .isAfterOrEqualTo(clock.instant().plus(PAYMENT_TIMEOUT).minusSeconds(60));
                assertThat(saga.status(unpaid)).isEqualTo("PLACED");
            }
        }
        // order-service is down while the deadline passes.
        clock.set(due.plusSeconds(1));

        try (ConfigurableApplicationContext second = start(clock);
                SagaFixture saga = fixture(second)) {
            await().atMost(WAIT).until(() -> saga.status(unpaid).equals("CANCELLING"));
            assertThat(saga.order(unpaid).path("statusReason").asString()).isEqualTo("no payment before the deadline");
            await().atMost(WAIT).until(() -> saga.publishedTypes(unpaid).contains("OrderCancellationRequested"));
            OrderCancellationRequested request = (OrderCancellationRequested)
                    saga.decode(saga.published(unpaid).get(1));
            assertThat(request.getReason()).isEqualTo(CancellationReason.PAYMENT_DEADLINE_EXPIRED);

            assertThat(saga.status(paid)).isEqualTo("PAID");
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            await().atMost(WAIT)
                    .until(() -> jdbc.sql("SELECT count(*) FROM payment_deadlines WHERE order_id IN (?, ?)")
                                    .params(unpaid, paid)
                                    .query(Integer.class)
                                    .single()
                            == 0);
        }
    }

    @Test
    void aDeadlineThatAlwaysFailsHoldsUpNoOtherAndIsShownToOperators() {
        SettableClock clock = new SettableClock(Instant.now());
        try (ConfigurableApplicationContext context = start(clock);
                SagaFixture saga = fixture(context)) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            TestCatalogue.list(jdbc, "KB-001", "EUR", "10.25");
            UUID broken = UUID.randomUUID();
            // An order whose history cannot be read: every attempt to expire its deadline throws.
            jdbc.sql("INSERT INTO order_events (order_id, version, event_type, payload, occurred_at) "
                            + "VALUES (?, 1, 'NoSuchEvent', '{}', now())")
                    .param(broken)
                    .update();
            jdbc.sql("INSERT INTO payment_deadlines (order_id, due_at) VALUES (?, now() - interval '1 minute')")
                    .param(broken)
                    .update();

            UUID unpaid = saga.place();
            clock.set(Instant.parse(saga.order(unpaid).path("paymentDue").asString())
                    .plusSeconds(1));

            await().atMost(WAIT).until(() -> saga.status(unpaid).equals("CANCELLING"));
            Map<String, Object> failing = jdbc.sql(
                            "SELECT failed_attempts, last_error FROM payment_deadlines " + "WHERE order_id = ?")
                    .param(broken)
                    .query()
                    .singleRow();
            assertThat((Integer) failing.get("failed_attempts")).isPositive();
            assertThat((String) failing.get("last_error")).contains("unknown type 'NoSuchEvent'");
            assertThat(context.getBean(MeterRegistry.class)
                            .get("orderflow.order.deadlines.failing")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
        }
    }

    private static SagaFixture fixture(ConfigurableApplicationContext context) {
        return new SagaFixture(
                context.getBean(EventSerdes.class),
                context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    private static ConfigurableApplicationContext start(Clock clock) {
        List<String> args = new ArrayList<>();
        TestStack.get().springBootProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        args.add("--server.port=0");
        args.add("--orderflow.order.payment-timeout=" + PAYMENT_TIMEOUT.toSeconds() + "s");
        args.add("--orderflow.order.deadline-poll-interval=200ms");
        SpringApplication application = OrderServiceApplication.application();
        // Registered before the auto-configuration looks for a Clock, so the service's own is not made.
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("clock", clock));
        return application.run(args.toArray(String[]::new));
    }

    /** A clock the test moves, as time passing while the service is down. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the service reads instants only");
        }
    }
}
