package io.orderflow.eventing.dlq;

import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A dead letter's payload as a person reads it: the event decoded with the topic's contract (Avro's JSON form), or,
 * when it cannot be decoded (often why it is a dead letter), why not and its first bytes.
 */
public final class DeadLetterPayloads {

    private static final int PREVIEW_BYTES = 64;

    private final EventSerdes serdes;
    private final Collection<Topic> catalogue;

    public DeadLetterPayloads(EventSerdes serdes, Collection<Topic> catalogue) {
        this.serdes = serdes;
        this.catalogue = catalogue;
    }

    public String decode(DeadLetter letter) {
        if (letter.value() == null) {
            return "(none)";
        }
        Optional<Topic> topic = catalogue.stream()
                .filter(t -> t.name().equals(letter.originalTopic()))
                .findFirst();
        if (topic.isEmpty()) {
            return "not decoded: " + letter.originalTopic() + " is not in the catalogue; " + preview(letter.value());
        }
        try {
            return serdes.of(topic.get())
                    .fromBytes(letter.eventType(), letter.value())
                    .toString();
        } catch (RuntimeException e) {
            return "not decoded (" + e.getMessage() + "); " + preview(letter.value());
        }
    }

    private static String preview(byte[] value) {
        byte[] head = value.length > PREVIEW_BYTES ? Arrays.copyOf(value, PREVIEW_BYTES) : value;
        String text = new String(head, StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\t');
        String more = value.length > PREVIEW_BYTES ? "… (" + value.length + " bytes)" : "";
        return (printable ? "text: " + text : "hex: " + HexFormat.of().formatHex(head)) + more;
    }
}
