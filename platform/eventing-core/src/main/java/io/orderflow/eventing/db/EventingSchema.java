package io.orderflow.eventing.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The library's own tables (outbox, inbox) in the service's schema, migrated with a history table of their own so
 * that they evolve independently of the service's tables.
 */
public final class EventingSchema {

    public static final String HISTORY_TABLE = "eventing_schema_history";

    public EventingSchema(DataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .table(HISTORY_TABLE)
                .locations("classpath:io/orderflow/eventing/db")
                // The service's own migrations may have run first in the same schema.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
