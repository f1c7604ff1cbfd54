package io.orderflow.eventing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderflow.devstack.TestStack;
import io.orderflow.eventing.db.EventingSchema;

/** A schema of its own in the test stack's PostgreSQL, with the library's tables: one per test, nothing shared. */
public final class EventingDatabase {

    private EventingDatabase() {}

    /** A pool on a new schema named {@code schema}, migrated with the eventing tables. */
    public static HikariDataSource inFreshSchema(String schema, int poolSize) {
        var stack = TestStack.get();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.jdbcUrl());
        config.setUsername(stack.databaseUser());
        config.setPassword(stack.databasePassword());
        config.setSchema(schema);
        config.setMaximumPoolSize(poolSize);
        HikariDataSource dataSource = new HikariDataSource(config);
        new EventingSchema(dataSource, schema).migrate();
        return dataSource;
    }
}
