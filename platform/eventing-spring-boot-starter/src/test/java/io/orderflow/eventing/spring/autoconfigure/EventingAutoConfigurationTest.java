package io.orderflow.eventing.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.db.EventingSchema;
import io.orderflow.eventing.inbox.InboxRetention;
import io.orderflow.eventing.lag.LagMonitor;
import io.orderflow.eventing.outbox.OutboxSignal;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.RegisteredSchemas;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.spring.consumer.EventConsumerContainers;
import io.orderflow.eventing.spring.outbox.Outbox;
import io.orderflow.eventing.testevents.CounterIncremented;
import io.orderflow.eventing.topic.AccessNeeds;
import io.orderflow.eventing.topic.ClusterAccess;
import io.orderflow.eventing.topic.ProvisionedTopics;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.eventing.topic.TopicProvisioner;
import io.orderflow.eventing.tracing.EventTracing;
import io.orderflow.eventing.tracing.MicrometerEventTracing;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;

/**
 * The auto-configuration without a broker, a database or a registry: what it creates by default, what each switch
 * turns off, that the application's own beans replace the library's, and how its properties bind. The database is
 * one that refuses every connection; nothing here needs it, since the tables are not migrated and nothing is written.
 * The applications' configurations carry no {@code @Configuration}, so that the test applications of this module,
 * which scan their packages, do not pick them up.
 */
class EventingAutoConfigurationTest {

    private static final AutoConfigurations EVENTING = AutoConfigurations.of(
            KafkaAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class,
            EventingAutoConfiguration.class,
            EventingJdbcAutoConfiguration.class,
            OutboxRelayAutoConfiguration.class,
            EventConsumersAutoConfiguration.class,
            ConsumerLagAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(EVENTING)
            .withUserConfiguration(UnreachableDatabase.class)
            .withPropertyValues(
                    "orderflow.eventing.service-name=test-service",
                    "orderflow.eventing.schema=test",
                    "orderflow.eventing.migrate-tables=false",
                    "spring.kafka.bootstrap-servers=127.0.0.1:1");

    @Test
    void byDefaultEveryPartIsOn() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(EventSerdes.class)
                    .hasSingleBean(OutboxSignal.class)
                    .hasSingleBean(TopicProvisioner.class)
                    .hasSingleBean(Outbox.class)
                    .hasSingleBean(InboxRetention.class)
                    .hasSingleBean(OutboxRelayLifecycle.class)
                    .hasSingleBean(EventConsumerContainers.class)
                    .hasSingleBean(DeadLetterProducer.class)
                    .hasSingleBean(LagMonitor.class)
                    .hasBean("consumerLagHealth")
                    .hasBean("consumerPositionsHealth")
                    .hasBean(EventingStartup.TABLES)
                    .hasBean(EventingStartup.TOPICS)
                    .hasBean(EventingStartup.SCHEMAS);
            assertThat(context.getBean(EventTracing.class))
                    .as("no tracer in this context")
                    .isSameAs(EventTracing.LOG_CONTEXT_ONLY);
            assertThat(context.getBean(OutboxRelayLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void theRelayAndTheConsumersStartAfterTheTablesTheTopicsAndTheSchemas() {
        runner.run(context -> {
            var factory = context.getBeanFactory();
            String[] all = {EventingStartup.TABLES, EventingStartup.TOPICS, EventingStartup.SCHEMAS};
            assertThat(factory.getBeanDefinition("outboxRelay").getDependsOn()).containsExactlyInAnyOrder(all);
            assertThat(factory.getBeanDefinition("eventConsumerContainers").getDependsOn())
                    .containsExactlyInAnyOrder(all);
            assertThat(factory.getBeanDefinition("outbox").getDependsOn()).containsExactly(EventingStartup.TABLES);
            assertThat(factory.getBeanDefinition("inboxRetention").getDependsOn())
                    .containsExactly(EventingStartup.TABLES);
        });
    }

    @Test
    void theMasterSwitchTurnsTheWholeLibraryOff() {
        runner.withPropertyValues("orderflow.eventing.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(EventingProperties.class)
                        .doesNotHaveBean(EventSerdes.class)
                        .doesNotHaveBean(Outbox.class)
                        .doesNotHaveBean(OutboxRelayLifecycle.class)
                        .doesNotHaveBean(EventConsumerContainers.class)
                        .doesNotHaveBean(LagMonitor.class)
                        .doesNotHaveBean(EventingStartup.TABLES));
    }

    @Test
    void theRelaySwitchTurnsOnlyTheRelayOff() {
        runner.withPropertyValues("orderflow.eventing.relay.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(OutboxRelayLifecycle.class)
                        .hasSingleBean(Outbox.class)
                        .hasSingleBean(EventConsumerContainers.class));
    }

    @Test
    void aSwitchMeansWhatItsPropertyBindsTo() {
        // "1", "on", "yes" bind to true, as the properties read them: the part runs, it is not silently off.
        runner.withPropertyValues("orderflow.eventing.relay.enabled=1", "orderflow.eventing.consumer.enabled=on")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(OutboxRelayLifecycle.class)
                        .hasSingleBean(EventConsumerContainers.class));
        runner.withPropertyValues("orderflow.eventing.relay.enabled=off", "orderflow.eventing.lag.enabled=0")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(OutboxRelayLifecycle.class)
                        .doesNotHaveBean(LagMonitor.class));
    }

    @Test
    void aSwitchThatIsNeitherOnNorOffStopsTheStartNamingIt() {
        runner.withPropertyValues("orderflow.eventing.relay.enabled=sometimes")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining(
                                "orderflow.eventing.relay.enabled is \"sometimes\": a switch is true or"));
    }

    @Test
    void theConsumerSwitchTurnsOffTheContainersAndWhatServesThem() {
        runner.withPropertyValues("orderflow.eventing.consumer.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(EventConsumerContainers.class)
                        .doesNotHaveBean(DeadLetterProducer.class)
                        .doesNotHaveBean("consumerPositionsHealth")
                        .hasSingleBean(Outbox.class)
                        .hasSingleBean(OutboxRelayLifecycle.class));
    }

    @Test
    void theLagSwitchTurnsOffTheMonitorAndItsHealth() {
        runner.withPropertyValues("orderflow.eventing.lag.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(LagMonitor.class)
                        .doesNotHaveBean("consumerLagHealth")
                        .hasSingleBean(EventConsumerContainers.class));
    }

    @Test
    void theHealthIndicatorsHaveTheActuatorsOwnSwitches() {
        runner.withPropertyValues(
                        "management.health.consumer-lag.enabled=false",
                        "management.health.consumer-positions.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean("consumerLagHealth")
                        .doesNotHaveBean("consumerPositionsHealth")
                        .hasSingleBean(LagMonitor.class)
                        .hasSingleBean(EventConsumerContainers.class));
    }

    @Test
    void withoutADatabaseOnlyTheBaseAndTheLagWatchAreThere() {
        new ApplicationContextRunner()
                .withConfiguration(EVENTING)
                .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(EventSerdes.class)
                        .hasSingleBean(LagMonitor.class)
                        .doesNotHaveBean(EventingStartup.TABLES)
                        .doesNotHaveBean(Outbox.class)
                        .doesNotHaveBean(OutboxRelayLifecycle.class)
                        .doesNotHaveBean(EventConsumerContainers.class));
    }

    @Test
    void excludingTheBaseTurnsOffAllThatBuildsOnItButNotTheLagWatch() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        KafkaAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class,
                        EventingJdbcAutoConfiguration.class,
                        OutboxRelayAutoConfiguration.class,
                        EventConsumersAutoConfiguration.class,
                        ConsumerLagAutoConfiguration.class))
                .withUserConfiguration(UnreachableDatabase.class)
                .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(Outbox.class)
                        .doesNotHaveBean(OutboxRelayLifecycle.class)
                        .doesNotHaveBean(EventConsumerContainers.class)
                        .hasSingleBean(LagMonitor.class));
    }

    @Test
    void theApplicationsOwnBeansReplaceTheLibrarys() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanNamesForType(EventSerdes.class)).containsExactly("serdes");
            assertThat(context.getBeanNamesForType(Clock.class)).containsExactly("clock");
            assertThat(context.getBeanNamesForType(EventTracing.class)).containsExactly("tracing");
            assertThat(context.getBeanNamesForType(TopicProvisioner.class)).containsExactly("provisioner");
            assertThat(context.getBeanNamesForType(OutboxSignal.class)).containsExactly("signal");
            assertThat(context.getBean(Clock.class).instant()).isEqualTo(OwnBeans.NOW);
        });
    }

    @Test
    void aMicrometerTracerInTheContextTracesEachEvent() {
        runner.withBean(io.micrometer.tracing.Tracer.class, () -> io.micrometer.tracing.Tracer.NOOP)
                .run(context ->
                        assertThat(context.getBean(EventTracing.class)).isInstanceOf(MicrometerEventTracing.class));
    }

    @Test
    void theTopicsOfTopicAndConsumerBeansAreProvisionedAtStart() {
        withACounterService().run(context -> {
            assertThat(context).hasNotFailed();
            verify(context.getBean(TopicProvisioner.class))
                    .provision(List.of(Counters.ECHOES, Counters.COUNTERS), Duration.ofSeconds(60));
            assertThat(context.getBean(EventingStartup.TOPICS, ProvisionedTopics.class)
                            .names())
                    .containsExactly("test.echoes");
            assertThat(context.getBean(EventingStartup.SCHEMAS)).isInstanceOf(RegisteredSchemas.class);
        });
    }

    @Test
    void provisioningCanBeSwitchedOffForTopicsThatAreAnOperatorsJob() {
        withACounterService()
                .withPropertyValues("orderflow.eventing.topics.provision=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    verify(context.getBean(TopicProvisioner.class), never()).provision(anyCollection(), any());
                    assertThat(context.getBean(EventingStartup.TOPICS, ProvisionedTopics.class)
                                    .names())
                            .isEmpty();
                });
    }

    @Test
    void withProvisioningOffTheTopicsAreStillCheckedForReplication() {
        withACounterService()
                .withPropertyValues("orderflow.eventing.topics.provision=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    verify(context.getBean(TopicProvisioner.class))
                            .replicationMisfits(
                                    Set.of("test.echoes", "test.echoes.dlq", "test.counters", "test.counters.dlq"),
                                    Duration.ofSeconds(60));
                });
    }

    @Test
    void aServiceThatKafkaDoesNotAllowWhatItNeedsRefusesToStartSayingWhat() {
        ClusterAccess denied = mock(ClusterAccess.class);
        List<String> missing = List.of("User:counter-app may not WRITE topic test.echoes");
        when(denied.missing(any(), any())).thenReturn(missing);
        when(denied.refusal(missing)).thenReturn(new IllegalStateException(missing.get(0)));

        withACounterService()
                .withBean("deniedAccess", ClusterAccess.class, () -> denied, bean -> bean.setPrimary(true))
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("User:counter-app may not WRITE topic test.echoes"));
        verify(denied)
                .missing(
                        AccessNeeds.of(List.of(Counters.ECHOES), List.of(Counters.COUNTERS), List.of("counter-app"))
                                .readingConfigs(),
                        Duration.ofSeconds(60));
    }

    @Test
    void theTablesAreMigratedAtStartUnlessSwitchedOff() {
        runner.withPropertyValues("orderflow.eventing.migrate-tables=true")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("no database in a unit test"));
        runner.run(context -> assertThat(context.getBean(EventingStartup.TABLES, EventingSchema.class)
                        .schema())
                .isEqualTo("test"));
    }

    @Test
    void propertiesBindWithTheirDefaultsAndOverrides() {
        runner.withPropertyValues(
                        "orderflow.eventing.relay.batch-size=50",
                        "orderflow.eventing.relay.poll-interval=2s",
                        "orderflow.eventing.consumer.retries=6",
                        "orderflow.eventing.consumer.max-poll-records=50",
                        "orderflow.eventing.lag.groups=order-view,audit",
                        "orderflow.eventing.lag.max-behind=2m",
                        "orderflow.eventing.inbox.retention=-1",
                        "orderflow.eventing.topics.partitions=12",
                        "orderflow.eventing.schema-registry.auto-register=false")
                .run(context -> {
                    EventingProperties properties = context.getBean(EventingProperties.class);
                    assertThat(properties.serviceName()).isEqualTo("test-service");
                    assertThat(properties.relay().settings().batchSize()).isEqualTo(50);
                    assertThat(properties.relay().pollInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.relay().drainTimeout()).as("default").isEqualTo(Duration.ofSeconds(10));
                    assertThat(properties.consumer().settings().attempts()).isEqualTo(7);
                    assertThat(properties.consumer().maxPollRecords()).isEqualTo(50);
                    assertThat(properties.consumer().sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(properties.lag().groups()).containsExactly("order-view", "audit");
                    assertThat(properties.lag().thresholds().maxBehind()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(properties.inbox().retention().isNegative()).isTrue();
                    assertThat(properties.inbox().purgeInterval()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(properties.topics().settings().partitions()).isEqualTo(12);
                    assertThat(properties.topics().deadLetterRetention()).isEqualTo(Duration.ofDays(28));
                    assertThat(properties.schemaRegistry().autoRegister()).isFalse();
                    assertThat(properties.schemaRegistry().url()).isEqualTo("http://127.0.0.1:8086");
                    assertThat(context.getBean(EventSerdes.class).autoRegister())
                            .isFalse();
                });
    }

    @Test
    void anInboxThatForgetsBeforeTheDeadLettersExpireIsRefused() {
        runner.withPropertyValues("orderflow.eventing.inbox.retention=7d")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining(
                                "orderflow.eventing.inbox.retention (PT168H) is shorter than the dead-letter"));
    }

    @Test
    void aServiceWithADatabaseMustNameItselfAndItsSchema() {
        new ApplicationContextRunner()
                .withConfiguration(EVENTING)
                .withUserConfiguration(UnreachableDatabase.class)
                .withPropertyValues("orderflow.eventing.migrate-tables=false", "orderflow.eventing.schema=test")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("set orderflow.eventing.service-name"));
        new ApplicationContextRunner()
                .withConfiguration(EVENTING)
                .withUserConfiguration(UnreachableDatabase.class)
                .withPropertyValues("orderflow.eventing.migrate-tables=false")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("set orderflow.eventing.schema"));
    }

    @Test
    void theLagRouteIsServedInAServletApplication() {
        new WebApplicationContextRunner()
                .withConfiguration(EVENTING)
                .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1")
                .run(context -> assertThat(context).hasNotFailed().hasBean("lagRoutes"));
        new ApplicationContextRunner()
                .withConfiguration(EVENTING)
                .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("lagRoutes"));
    }

    /**
     * A service that writes one topic and reads another, with a provisioner and serdes that stand in for the broker
     * and the registry. Its consumer and relay stay off: they would only poll a broker that is not there.
     */
    private ApplicationContextRunner withACounterService() {
        return runner.withUserConfiguration(OwnBeans.class, Counters.class)
                .withPropertyValues(
                        "orderflow.eventing.consumer.enabled=false",
                        "orderflow.eventing.relay.enabled=false",
                        "orderflow.eventing.lag.enabled=false");
    }

    /** A database that is down: enough for the wiring, and anything that tried to use it would fail. */
    static class UnreachableDatabase {

        @Bean
        DataSource dataSource() throws SQLException {
            DataSource dataSource = mock(DataSource.class);
            when(dataSource.getConnection()).thenThrow(new SQLException("no database in a unit test", "08001"));
            return dataSource;
        }
    }

    /** The application's own choice of each replaceable bean. */
    static class OwnBeans {

        static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }

        @Bean
        EventTracing tracing() {
            return EventTracing.LOG_CONTEXT_ONLY;
        }

        @Bean
        OutboxSignal signal() {
            return new OutboxSignal();
        }

        @Bean
        EventSerdes serdes() {
            EventSerdes serdes = mock(EventSerdes.class);
            EventSerde serde = mock(EventSerde.class);
            when(serdes.of(any())).thenReturn(serde);
            when(serdes.registry()).thenReturn(new SchemaRegistryClient("http://127.0.0.1:1", Duration.ofMillis(1)));
            return serdes;
        }

        @Bean
        TopicProvisioner provisioner() {
            TopicProvisioner provisioner = mock(TopicProvisioner.class);
            when(provisioner.provision(anyCollection(), any())).thenReturn(Set.of("test.echoes"));
            return provisioner;
        }

        /** A cluster that lets the service do everything. */
        @Bean
        ClusterAccess access() {
            return mock(ClusterAccess.class);
        }
    }

    /** A service that writes one topic and reads another. */
    static class Counters {

        static final Topic ECHOES = Topic.of("test.echoes", CounterIncremented.class);
        static final Topic COUNTERS = Topic.of("test.counters", CounterIncremented.class);

        @Bean
        Topic echoes() {
            return ECHOES;
        }

        @Bean
        EventConsumer counters() {
            return EventConsumer.of("counter-app", COUNTERS)
                    .on(CounterIncremented.class, event -> {})
                    .build();
        }
    }
}
