package io.orderflow.view.streams;

import io.orderflow.view.topology.WindowSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the read side, under {@code orderflow.view}.
 *
 * @param applicationId       the Kafka Streams application: its consumer group and the prefix of its internal topics
 * @param stateDir            where the state stores live; kept across restarts, so a restart restores only what
 *                            changed since (one directory per instance on a machine)
 * @param advertisedHost      the host other instances forward queries to (with this instance's HTTP port)
 * @param processingGuarantee exactly_once_v2, or at_least_once
 * @param commitInterval      how often progress is committed: with exactly-once, also how soon downstream readers
 *                            of the changelogs see a change
 * @param standbyReplicas     warm copies of each store on other instances, for a quicker failover
 * @param revenueGrace        how late a payment may arrive and still count; see {@link WindowSettings}
 * @param topProductsGrace    how late an order may arrive and still count in top products
 * @param readYourWritesLimit the longest a query with {@code minVersion} waits for the view to catch up
 * @param forwardTimeout      of one query forwarded to the instance that owns the key
 */
@ConfigurationProperties("orderflow.view")
public record ViewProperties(
        @DefaultValue("order-view") String applicationId,
        String stateDir,
        @DefaultValue("127.0.0.1") String advertisedHost,
        @DefaultValue("exactly_once_v2") String processingGuarantee,
        @DefaultValue("100ms") Duration commitInterval,
        @DefaultValue("2") int streamThreads,
        @DefaultValue("0") int standbyReplicas,
        @DefaultValue("7d") Duration revenueGrace,
        @DefaultValue("P7DT1M") Duration revenueRetention,
        @DefaultValue("5m") Duration topProductsGrace,
        @DefaultValue("5s") Duration readYourWritesLimit,
        @DefaultValue("10s") Duration forwardTimeout) {

    public WindowSettings windows() {
        return new WindowSettings(revenueGrace, revenueRetention, topProductsGrace);
    }
}
