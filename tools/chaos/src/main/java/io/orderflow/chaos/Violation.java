package io.orderflow.chaos;

import java.util.List;

/**
 * An invariant that did not hold.
 *
 * @param subject  what it is about: an order id, a product, a topic, a schema
 * @param evidence the events, rows or ledger entries involved
 */
public record Violation(String invariant, String subject, String detail, List<String> evidence) {}
