package io.orderflow.eventing.spring.autoconfigure;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The producer that writes dead letters, closed with the application context. Kept out of the context as a
 * {@code ProducerFactory} so that it does not replace Spring Boot's own.
 */
public final class DeadLetterProducer implements DisposableBean {

    private final DefaultKafkaProducerFactory<String, byte[]> factory;

    DeadLetterProducer(DefaultKafkaProducerFactory<String, byte[]> factory) {
        this.factory = factory;
    }

    KafkaTemplate<String, byte[]> template() {
        return new KafkaTemplate<>(factory);
    }

    @Override
    public void destroy() {
        factory.destroy();
    }
}
