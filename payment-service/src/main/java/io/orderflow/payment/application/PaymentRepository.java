package io.orderflow.payment.application;

import io.orderflow.payment.domain.Payment;
import java.util.Optional;
import java.util.UUID;

public interface PaymentRepository {

    Optional<Payment> find(UUID orderId);

    void insert(Payment payment);
}
