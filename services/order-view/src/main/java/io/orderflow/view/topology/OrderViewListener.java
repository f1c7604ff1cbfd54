package io.orderflow.view.topology;

import io.orderflow.view.domain.OrderView;

/** Told of every order view the topology stores, so that a reader waiting for a version can stop waiting. */
@FunctionalInterface
public interface OrderViewListener {

    OrderViewListener NONE = view -> {};

    void changed(OrderView view);
}
