package io.orderflow.eventing.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The {@code outbox_parked} table: rows that can never be sent, kept with the reason for an operator to decide. */
final class ParkedRows {

    // The row keeps its id: put back into the outbox, it takes its old place in its aggregate.
    private static final String PARK = """
            WITH parked AS (DELETE FROM outbox WHERE id = ? RETURNING %1$s)
            INSERT INTO outbox_parked (%1$s, reason) SELECT %1$s, ? FROM parked""".formatted(OutboxRow.COLUMNS);

    private ParkedRows() {}

    static void park(Connection connection, OutboxRow row, String reason) throws SQLException {
        try (PreparedStatement park = connection.prepareStatement(PARK)) {
            park.setLong(1, row.id());
            park.setString(2, reason);
            park.executeUpdate();
        }
    }

    static long count(Connection connection) throws SQLException {
        try (Statement count = connection.createStatement();
                ResultSet result = count.executeQuery("SELECT count(*) FROM outbox_parked")) {
            result.next();
            return result.getLong(1);
        }
    }
}
