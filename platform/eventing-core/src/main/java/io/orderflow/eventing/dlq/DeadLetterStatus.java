package io.orderflow.eventing.dlq;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What has been done about a dead letter. */
public enum DeadLetterStatus {
    /** Nothing yet: it waits for a fix and a replay. */
    PENDING,
    /** Sent back to its original topic. If it failed again, that failure is a new dead letter. */
    REPLAYED,
    /** Replayed too often; copied to {@code <topic>.quarantine} and never replayed by a bulk replay again. */
    QUARANTINED;

    /** Reads a status as a user types it (any case), or says which there are. */
    public static DeadLetterStatus parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidDeadLetterRequestException("unknown dead-letter status '" + text + "': one of "
                    + Arrays.stream(values())
                            .map(status -> status.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")));
        }
    }
}
