package io.orderflow.dashboard;

import io.orderflow.contracts.Topics;
import io.orderflow.dashboard.probe.DashboardState;
import io.orderflow.dashboard.probe.EventDocuments;
import io.orderflow.dashboard.probe.ServiceProbe;
import io.orderflow.dashboard.probe.ServiceToken;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterPayloads;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.spring.autoconfigure.EventingProperties;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventingProperties.class)
class DashboardConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    DeadLetterAdmin deadLetterAdmin(
            KafkaProperties kafka, EventingProperties eventing, DashboardProperties properties, Clock clock) {
        return new DeadLetterAdmin(
                kafka.buildAdminProperties(), eventing.topics().settings(), properties.maxReplays(), clock);
    }

    @Bean
    DeadLetterPayloads deadLetterPayloads(EventingProperties eventing) {
        return new DeadLetterPayloads(new EventSerdes(eventing.schemaRegistry().client(), false), Topics.ALL);
    }

    @Bean(destroyMethod = "close")
    DashboardState dashboardState(
            DashboardProperties properties, DeadLetterAdmin deadLetters, ServiceToken serviceToken, Clock clock) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        return new DashboardState(properties, new ServiceProbe(http, clock, serviceToken), deadLetters, clock);
    }

    @Bean
    EventDocuments eventDocuments() {
        return new EventDocuments(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
    }

    @Bean
    Refresher refresher(DashboardState state) {
        return new Refresher(state);
    }

    /** Reads the services once per refresh. */
    static final class Refresher {

        private final DashboardState state;

        Refresher(DashboardState state) {
            this.state = state;
        }

        @Scheduled(fixedDelayString = "${orderflow.dashboard.refresh:2s}")
        void refresh() {
            state.refresh();
        }
    }
}
