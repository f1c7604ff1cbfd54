package io.orderflow.eventing.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderflow.eventing.consumer.EventConsumer;
import io.orderflow.eventing.lag.ConsumerLag;
import io.orderflow.eventing.lag.LagMonitor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Watches the lag of the service's consumer groups: those of its {@link EventConsumer}s and any named in
 * {@code orderflow.eventing.lag.groups}; reports it as meters, as the {@code consumerLag} health (DEGRADED above the
 * thresholds) and at {@code GET /ops/lag}. Apart from {@link EventingAutoConfiguration}, so that a service without a
 * database of its own (the Kafka Streams read side) has it too. Off with {@code orderflow.eventing.lag.enabled=false}.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnSwitch({"orderflow.eventing.enabled", "orderflow.eventing.lag.enabled"})
@EnableConfigurationProperties(EventingProperties.class)
public class ConsumerLagAutoConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    LagMonitor lagMonitor(
            KafkaProperties kafka,
            EventingProperties properties,
            ObjectProvider<EventConsumer> consumers,
            ObjectProvider<MeterRegistry> meters,
            ObjectProvider<Clock> clock) {
        Set<String> groups = new LinkedHashSet<>();
        consumers.orderedStream().map(EventConsumer::name).forEach(groups::add);
        groups.addAll(properties.lag().groups());
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        return new LagMonitor(
                new ConsumerLag(kafka.buildAdminProperties(), time),
                List.copyOf(groups),
                properties.lag().thresholds(),
                properties.lag().interval(),
                meters.getIfAvailable(SimpleMeterRegistry::new),
                time);
    }

    /** {@code consumerLag} in the health: DEGRADED while a group is further behind than the thresholds. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("consumer-lag")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "consumerLagHealth")
        ConsumerLagHealth consumerLagHealth(LagMonitor monitor) {
            return new ConsumerLagHealth(monitor);
        }
    }

    /** {@code GET /ops/lag}, in a servlet web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(RouterFunction.class)
    static class Web {

        @Bean
        @ConditionalOnMissingBean(name = "lagRoutes")
        @RouterOperation(
                path = "/ops/lag",
                method = RequestMethod.GET,
                operation =
                        @Operation(
                                operationId = "consumerLag",
                                summary = "The service's consumer lag, per group, topic and partition",
                                description = "The last reading, at most orderflow.eventing.lag.interval old; with"
                                        + " fresh=true, one taken now. docs/operations.md says how to read it.",
                                parameters =
                                        @Parameter(
                                                in = ParameterIn.QUERY,
                                                name = "fresh",
                                                description = "take a reading now instead of returning the last",
                                                schema = @Schema(type = "boolean", defaultValue = "false")),
                                responses =
                                        @ApiResponse(
                                                responseCode = "200",
                                                description = "the lag",
                                                content =
                                                        @Content(
                                                                schema =
                                                                        @Schema(
                                                                                implementation =
                                                                                        LagRoutes.LagResponse.class)))))
        RouterFunction<ServerResponse> lagRoutes(LagMonitor monitor, Environment environment) {
            return new LagRoutes(monitor, environment.getProperty("spring.application.name", "")).routes();
        }
    }
}
