package io.orderflow.eventing.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.db.EventingSchema;
import io.orderflow.eventing.inbox.InboxRetention;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.tracing.EventTracing;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;

/**
 * What the library keeps in the service's database: its tables, the outbox services write to, and the inbox's
 * retention. Only with a {@link DataSource}: a service without a database of its own (a Kafka Streams read side)
 * still has the base and the lag watch.
 */
@AutoConfiguration(
        after = {
            EventingAutoConfiguration.class,
            DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class,
            FlywayAutoConfiguration.class
        })
// On the base (not excluded, not switched off) and a database: excluding EventingAutoConfiguration turns off all
// that builds on it.
@ConditionalOnBean({EventingAutoConfiguration.class, DataSource.class})
public class EventingJdbcAutoConfiguration {

    /**
     * Start-up step: the library's tables exist. After the service's own database initialization (its Flyway
     * migrations), which may create the schema they share.
     */
    @Bean(EventingStartup.TABLES)
    @DependsOnDatabaseInitialization
    EventingSchema eventingTables(
            DataSource dataSource,
            EventingProperties properties,
            org.springframework.core.env.Environment environment) {
        // As patient with a database that is down as the service's own migrations (the library's defaults: 60).
        EventingSchema tables = new EventingSchema(
                        dataSource, require(properties.schema(), "orderflow.eventing.schema"))
                .waitingForTheDatabase(environment.getProperty("spring.flyway.connect-retries", Integer.class, 0));
        return properties.migrateTables() ? tables.migrate() : tables;
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOn(EventingStartup.TABLES)
    Outbox outbox(
            DataSource dataSource,
            EventingProperties properties,
            Clock clock,
            EventSerdes serdes,
            OutboxSignal committed,
            EventTracing tracing) {
        return new Outbox(
                dataSource,
                require(properties.serviceName(), "orderflow.eventing.service-name"),
                clock,
                serdes,
                committed,
                tracing);
    }

    /** Purges the inbox at {@code orderflow.eventing.inbox.purge-interval}; a negative retention keeps it all. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOn(EventingStartup.TABLES)
    InboxRetention inboxRetention(
            DataSource dataSource, EventingProperties properties, Clock clock, ObjectProvider<MeterRegistry> meters) {
        EventingProperties.Inbox inbox = properties.inbox();
        Duration deadLetters = properties.topics().deadLetterRetention();
        // A negative retention is Kafka's "for ever": then the inbox must never forget either.
        boolean keptForEver = inbox.retention().isNegative();
        if (!keptForEver && (deadLetters.isNegative() || inbox.retention().compareTo(deadLetters) < 0)) {
            throw new IllegalStateException("orderflow.eventing.inbox.retention (" + inbox.retention()
                    + ") is shorter than the dead-letter retention ("
                    + (deadLetters.isNegative() ? "for ever" : deadLetters)
                    + "): a dead letter replayed after its event left the inbox would be applied "
                    + "twice by the groups that had handled it");
        }
        InboxRetention retention = new InboxRetention(
                dataSource,
                inbox.retention(),
                inbox.purgeBatchSize(),
                clock,
                meters.getIfAvailable(SimpleMeterRegistry::new));
        if (!keptForEver) {
            retention.start(inbox.purgeInterval());
        }
        return retention;
    }

    static String require(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("set " + property);
        }
        return value;
    }
}
