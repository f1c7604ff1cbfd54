package io.orderflow.eventing.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The library's own tables (outbox, inbox, consumer positions) in the service's schema, migrated with a history table
 * of their own so that they evolve independently of the service's tables.
 */
public final class EventingSchema {

    public static final String HISTORY_TABLE = "eventing_schema_history";
    /** Where the migrations are, for a service that runs them with its own tooling. */
    public static final String LOCATION = "classpath:io/orderflow/eventing/db";

    private static final int CONNECT_RETRY_SECONDS = 2;

    private final DataSource dataSource;
    private final String schema;
    private final int connectRetries;

    public EventingSchema(DataSource dataSource, String schema) {
        this(dataSource, schema, 0);
    }

    private EventingSchema(DataSource dataSource, String schema, int connectRetries) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.connectRetries = connectRetries;
    }

    /**
     * These tables, migrated by one that waits for a database that is down or recovering from a crash: tries to
     * connect {@code retries} more times, at most 2 s apart, before it gives up.
     */
    public EventingSchema waitingForTheDatabase(int retries) {
        return new EventingSchema(dataSource, schema, retries);
    }

    /** The schema that holds the tables. */
    public String schema() {
        return schema;
    }

    /** Creates the tables, or brings them up to date; a no-op when they are. */
    public EventingSchema migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                // The service's own migrations may have run first in the same schema.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .connectRetries(connectRetries)
                .connectRetriesInterval(CONNECT_RETRY_SECONDS)
                .load()
                .migrate();
        return this;
    }
}
