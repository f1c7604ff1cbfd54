package io.orderflow.order.application;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The products that can be ordered, as inventory announced them. */
public interface Catalogue {

    /** The given product ids that are not in the catalogue, in the given order. */
    List<String> unknownAmong(Collection<String> productIds);

    void listed(String productId, String name, Instant listedAt);

    boolean isEmpty();
}
