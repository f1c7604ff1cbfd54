package io.orderflow.inventory.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Reservations made before inventory read PaymentAuthorized (V1–V4) may have a shipment booked: V5 must not let a
 * refund of one of them give the stock back while that shipment stands.
 */
class StockReturnMigrationIT {

    private static final String SCHEMA = "inventory_migration_test";

    @Test
    void aReservationMadeBeforeTheUpgradeWaitsForItsShipmentToBeCalledOffAfterARefund() throws Exception {
        TestStack.get();
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        migrate("4");
        UUID paidBeforeTheUpgrade = UUID.randomUUID();
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            sql.execute("SET search_path TO " + SCHEMA);
            sql.execute(
                    "INSERT INTO reservations (order_id, status) VALUES ('" + paidBeforeTheUpgrade + "', 'RESERVED')");
        }

        migrate(null);

        try (Connection db = connect();
                Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("SELECT payment_authorized FROM " + SCHEMA + ".reservations "
                        + "WHERE order_id = '" + paidBeforeTheUpgrade + "'")) {
            row.next();
            // Unknown whether it was paid: taken as paid, so its refund waits for ShipmentCancelled, which
            // shipping-service sends for every refund, booked or not.
            assertThat(row.getBoolean(1)).isTrue();
        }
    }

    private static void migrate(String target) {
        var configuration = Flyway.configure()
                .dataSource(
                        TestStack.get().jdbcUrl(),
                        TestStack.get().databaseUser(),
                        TestStack.get().databasePassword())
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations("classpath:db/migration/inventory");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                TestStack.get().jdbcUrl(),
                TestStack.get().databaseUser(),
                TestStack.get().databasePassword());
    }
}
