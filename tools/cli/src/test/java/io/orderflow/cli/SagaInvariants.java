package io.orderflow.cli;

import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.RawKafka;
import io.orderflow.eventing.envelope.EventHeaders;
import io.orderflow.provider.PaymentProviderServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the system tests that crash things check afterwards: events published once, money kept right. */
final class SagaInvariants {

    private SagaInvariants() {}

    /** Per order: each event type and how many distinct events (by event id) of it were published. */
    static Map<String, Map<String, Long>> distinctEventsByKey(RawKafka records, String topic, Set<String> keys) {
        return records.readAll(topic, record -> keys.contains(record.key())).stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        Collectors.groupingBy(
                                r -> RawKafka.header(r, EventHeaders.EVENT_TYPE),
                                Collectors.collectingAndThen(
                                        Collectors.mapping(
                                                r -> RawKafka.header(r, EventHeaders.EVENT_ID), Collectors.toSet()),
                                        ids -> (long) ids.size()))));
    }

    /**
     * The orders whose history on {@code topic} is not one {@code OrderPlaced} and one final event, counting
     * distinct event ids (a relay killed after sending may publish an event again, which consumers skip; a second,
     * different one must never be).
     */
    static List<String> notDecidedOnce(
            RawKafka records, String topic, Set<String> orders, Predicate<String> isFinalEvent) {
        List<String> problems = new ArrayList<>();
        distinctEventsByKey(records, topic, orders).forEach((order, types) -> {
            long finals = types.entrySet().stream()
                    .filter(e -> isFinalEvent.test(e.getKey()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            if (finals != 1 || types.getOrDefault("OrderPlaced", 0L) != 1) {
                problems.add(order + " published " + types);
            }
        });
        return problems;
    }

    /**
     * Waits until every cancelled order has a refund for each charge: a charge whose answer a kill lost is found and
     * refunded by payment-service's worker after the void, possibly after the order is CANCELLED.
     */
    static void awaitRefunds(
            Set<String> orders, Map<String, String> finalStatus, PaymentProviderServer provider, Duration wait) {
        await().atMost(wait)
                .until(() -> orders.stream()
                        .filter(order -> finalStatus.get(order).equals("CANCELLED"))
                        .allMatch(order -> provider.refundsFor(order).size()
                                == provider.chargesFor(order).size()));
    }

    /**
     * What the provider's ledger says of orders in their final states: a confirmed order charged once and never
     * refunded, any other one refunded for every charge, none charged twice.
     */
    static Money money(Set<String> orders, Map<String, String> finalStatus, PaymentProviderServer provider) {
        List<String> problems = new ArrayList<>();
        long confirmed = 0;
        for (String order : orders) {
            int charges = provider.chargesFor(order).size();
            int refunds = provider.refundsFor(order).size();
            boolean isConfirmed = finalStatus.get(order).equals("CONFIRMED");
            confirmed += isConfirmed ? 1 : 0;
            if (charges > 1
                    || (isConfirmed && (charges != 1 || refunds != 0))
                    || (!isConfirmed && refunds != charges)) {
                problems.add(order + " " + finalStatus.get(order) + " with " + charges + " charges and " + refunds
                        + " refunds");
            }
        }
        return new Money(confirmed, problems);
    }

    /** @param problems each order whose charges and refunds do not fit its final state */
    record Money(long confirmed, List<String> problems) {}

    static void setAvailable(DevStack stack, String product, int available) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(stack.jdbcUrl(), stack.databaseUser(), stack.databasePassword());
                var statement =
                        connection.prepareStatement("UPDATE inventory.stock SET available = ? WHERE product_id = ?")) {
            statement.setInt(1, available);
            statement.setString(2, product);
            statement.executeUpdate();
        }
    }
}
