package io.orderflow.eventing.dlq;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which dead letters to list or replay; every part that is present must match.
 *
 * @param topic    a dead-letter topic, or the topic whose dead letters are meant
 * @param reason   a part of the reason, in any case
 * @param consumer the consumer (group) that failed the record
 * @param key      the record's key: the aggregate id, an order id for the saga's topics
 * @param status   what has been done about it
 */
public record DeadLetterQuery(
        Optional<String> topic,
        Optional<String> reason,
        Optional<String> consumer,
        Optional<String> key,
        Optional<DeadLetterStatus> status) {

    public static final DeadLetterQuery ALL = new DeadLetterQuery(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public DeadLetterQuery {
        for (Optional<String> part : List.of(topic, reason, consumer, key)) {
            if (part.isPresent() && part.get().isBlank()) {
                throw new InvalidDeadLetterRequestException("an empty filter matches nothing; leave it out instead");
            }
        }
    }

    /** From text as a user types it; null leaves a part out. */
    public static DeadLetterQuery of(String topic, String reason, String consumer, String key, String status) {
        return new DeadLetterQuery(
                Optional.ofNullable(topic),
                Optional.ofNullable(reason),
                Optional.ofNullable(consumer),
                Optional.ofNullable(key),
                Optional.ofNullable(status).map(DeadLetterStatus::parse));
    }

    public DeadLetterQuery withStatus(DeadLetterStatus wanted) {
        return new DeadLetterQuery(topic, reason, consumer, key, Optional.of(wanted));
    }

    boolean matches(DeadLetter letter) {
        return reason.map(part -> letter.reason().toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)))
                        .orElse(true)
                && consumer.map(letter.consumer()::equals).orElse(true)
                && key.map(wanted -> wanted.equals(letter.key())).orElse(true)
                && status.map(letter.status()::equals).orElse(true);
    }
}
