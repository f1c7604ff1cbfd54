package io.orderflow.eventing.dlq;

import java.util.List;
import java.util.Optional;

/**
 * A page of a listing.
 *
 * @param next where the next page starts (give it as {@code after}); empty on the last page
 */
public record DeadLetterPage(List<DeadLetter> letters, Optional<DeadLetterId> next) {

    public DeadLetterPage {
        letters = List.copyOf(letters);
    }
}
