package io.orderflow.bench;

import io.orderflow.provider.Ledger;
import io.orderflow.provider.PaymentProviderServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The bench's checks on money and goods, read from where the truth lives (the provider's ledger, the services'
 * tables): every confirmed order was charged exactly its catalogue total, no cancelled order keeps a charge, and no
 * order's stock is back while a shipment of it is live.
 */
public final class MoneyAndStockChecks {

    // What each order costs at the catalogue's prices (inventory's), from the lines and currency it was placed with.
    public static final String CATALOGUE_TOTALS = """
            SELECT e.order_id, sum((line->>'quantity')::int * p.amount), count(p.amount) = count(*)
            FROM orders.order_events e
            CROSS JOIN LATERAL jsonb_array_elements(e.payload->'lines') AS line
            LEFT JOIN inventory.prices p
                   ON p.product_id = line->>'productId' AND p.currency = e.payload->>'currency'
            WHERE e.event_type = 'Placed'
            GROUP BY e.order_id""";

    // A live shipment is one not called off; its order's stock must still be held.
    private static final String STOCK_BACK_WHILE_SHIPPED = """
            SELECT count(*) FROM shipping.shipments s
            JOIN inventory.reservations r ON r.order_id = s.order_id
            WHERE (s.cancelled_at IS NULL AND r.status <> 'RESERVED')
               OR (r.status = 'RELEASED' AND s.cancelled_at IS NOT NULL AND r.decided_at < s.cancelled_at)""";

    private MoneyAndStockChecks() {}

    /**
     * @param finalEventByOrder each order's final event type (OrderConfirmed, OrderCancelled, …)
     * @return whether every check held; each is printed
     */
    public static boolean check(Connection db, PaymentProviderServer provider, Map<String, String> finalEventByOrder)
            throws SQLException {
        Map<String, BigDecimal> catalogueTotals = new HashMap<>();
        int unpriced = 0;
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(CATALOGUE_TOTALS)) {
            while (rows.next()) {
                catalogueTotals.put(rows.getString(1), rows.getBigDecimal(2));
                if (!rows.getBoolean(3)) {
                    unpriced++;
                }
            }
        }
        int wronglyCharged = 0;
        int cancelledButCharged = 0;
        String example = "";
        for (Map.Entry<String, String> order : finalEventByOrder.entrySet()) {
            BigDecimal kept = netCharge(provider, order.getKey());
            if (order.getValue().equals("OrderConfirmed")) {
                BigDecimal expected = catalogueTotals.get(order.getKey());
                if (expected == null || kept.compareTo(expected) != 0) {
                    wronglyCharged++;
                    example = order.getKey() + " kept " + kept + ", catalogue total " + expected;
                }
            } else if (order.getValue().equals("OrderCancelled") && kept.signum() != 0) {
                cancelledButCharged++;
                example = order.getKey() + " cancelled, kept " + kept;
            }
        }
        boolean ok = BenchReport.check(
                "charges = confirmed orders' catalogue totals",
                wronglyCharged == 0 && unpriced == 0,
                wronglyCharged + " confirmed orders charged another amount, " + unpriced
                        + " orders with a line the catalogue has no price for"
                        + (example.isEmpty() ? "" : "; e.g. " + example));
        ok &= BenchReport.check(
                "no order CANCELLED with a charge kept",
                cancelledButCharged == 0,
                cancelledButCharged + " cancelled orders still charged");
        long stockBackWhileShipped;
        try (Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery(STOCK_BACK_WHILE_SHIPPED)) {
            row.next();
            stockBackWhileShipped = row.getLong(1);
        }
        ok &= BenchReport.check(
                "stock never back while a shipment is live",
                stockBackWhileShipped == 0,
                stockBackWhileShipped + " orders whose stock came back while their shipment stood");
        return ok;
    }

    /** What the customer paid for the order in the end: authorized charges less refunds. */
    private static BigDecimal netCharge(PaymentProviderServer provider, String orderId) {
        BigDecimal charged = provider.chargesFor(orderId).stream()
                .filter(charge -> charge.status().equals("authorized"))
                .map(Ledger.Charge::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal refunded = provider.refundsFor(orderId).stream()
                .map(Ledger.Refund::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return charged.subtract(refunded);
    }
}
