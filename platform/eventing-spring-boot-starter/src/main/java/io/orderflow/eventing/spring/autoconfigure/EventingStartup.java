package io.orderflow.eventing.spring.autoconfigure;

/**
 * The order in which the library starts, made explicit. Three things must be in place before any part of it reads or
 * writes, each done by one bean at its creation:
 * <ol>
 *   <li>{@value #TABLES}: the library's tables in the service's schema (after the service's own Flyway migrations,
 *       which may have created the schema);</li>
 *   <li>{@value #TOPICS}: the topics the service writes and reads, and their dead-letter topics;</li>
 *   <li>{@value #SCHEMAS}: proof that the service's event schemas fit the registry: every type it writes is
 *       registered, every type it reads can read every registered version.</li>
 * </ol>
 * A bean that needs them names them in {@code @DependsOn}: the outbox and the inbox's retention need the tables; the
 * relay and the consumers need all three.
 *
 * <p>Why beans and {@code @DependsOn} rather than {@code SmartLifecycle} phases: the application's own beans may
 * write to the outbox while they are created (an init method, a runner), before any lifecycle starts, and they get the
 * outbox only once its tables exist. And a service whose schemas do not fit fails while its context is created,
 * before its web server opens its port, naming the subject and the field. Each of the three beans always exists while
 * the library is on, so a {@code @DependsOn} never names a missing bean; switching a step off
 * ({@code orderflow.eventing.migrate-tables}, {@code orderflow.eventing.topics.provision}) leaves its bean in place,
 * doing nothing.
 */
public final class EventingStartup {

    public static final String TABLES = "eventingTables";
    public static final String TOPICS = "eventingTopics";
    public static final String SCHEMAS = "eventingSchemas";

    private EventingStartup() {}
}
