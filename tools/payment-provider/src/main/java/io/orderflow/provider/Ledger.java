package io.orderflow.provider;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The provider's books: charges and refunds, and the answer given to each idempotency key, so that a request
 * repeated with the same key gets the same answer and never moves money twice — the way real providers behave.
 */
public final class Ledger {

    public record Charge(
            String id, String reference, BigDecimal amount, String currency, String status, String declineReason) {}

    public record Refund(String id, String chargeId, BigDecimal amount) {}

    /** What was answered to a key, and for which request, so a different request with the same key is refused. */
    record Answer(String requestFingerprint, int status, Object body) {}

    private final Map<String, Charge> charges = new LinkedHashMap<>();
    private final Map<String, Refund> refundsByCharge = new LinkedHashMap<>();
    private final Map<String, Answer> answersByKey = new LinkedHashMap<>();
    private final Set<String> canceledChargeKeys = new HashSet<>();
    private int replays;
    private int refusedAfterCancel;

    synchronized boolean hasAnswered(String key) {
        return answersByKey.containsKey(key);
    }

    synchronized Answer charge(
            String key,
            String fingerprint,
            String reference,
            BigDecimal amount,
            String currency,
            Supplier<Optional<String>> decline) {
        if (canceledChargeKeys.contains(key)) {
            refusedAfterCancel++;
            return new Answer(fingerprint, 409, Map.of("error", "the charge key " + key + " was canceled"));
        }
        Answer existing = answersByKey.get(key);
        if (existing != null) {
            replays++;
            return existing;
        }
        Optional<String> declined = decline.get();
        Charge charge = new Charge(
                "ch_" + UUID.randomUUID(),
                reference,
                amount,
                currency,
                declined.isPresent() ? "declined" : "authorized",
                declined.orElse(null));
        charges.put(charge.id(), charge);
        Answer answer = new Answer(fingerprint, 201, charge);
        answersByKey.put(key, answer);
        return answer;
    }

    /**
     * Cancels a charge key, as a client cancels a payment intent: the charge made under it, if one was; otherwise
     * empty, and every charge with that key is refused from now on, even one sent before and landing only now.
     */
    synchronized Optional<Charge> cancelChargeKey(String key) {
        Answer existing = answersByKey.get(key);
        if (existing == null) {
            canceledChargeKeys.add(key);
            return Optional.empty();
        }
        if (existing.body() instanceof Charge charge) {
            return Optional.of(charge);
        }
        throw new IllegalArgumentException("the key " + key + " was used for something else than a charge");
    }

    synchronized Answer refund(String key, String fingerprint, String chargeId) {
        Answer existing = answersByKey.get(key);
        if (existing != null) {
            replays++;
            return existing;
        }
        Charge charge = charges.get(chargeId);
        if (charge == null) {
            return new Answer(fingerprint, 404, Map.of("error", "no charge " + chargeId));
        }
        if (!charge.status().equals("authorized")) {
            return new Answer(fingerprint, 409, Map.of("error", "charge " + chargeId + " is " + charge.status()));
        }
        if (refundsByCharge.containsKey(chargeId)) {
            return new Answer(fingerprint, 409, Map.of("error", "charge " + chargeId + " is refunded already"));
        }
        Refund refund = new Refund("re_" + UUID.randomUUID(), chargeId, charge.amount());
        refundsByCharge.put(chargeId, refund);
        Answer answer = new Answer(fingerprint, 201, refund);
        answersByKey.put(key, answer);
        return answer;
    }

    synchronized List<Charge> charges() {
        return List.copyOf(charges.values());
    }

    synchronized List<Refund> refunds() {
        return List.copyOf(refundsByCharge.values());
    }

    synchronized List<Charge> chargesFor(String reference) {
        List<Charge> found = new ArrayList<>();
        charges.values().stream().filter(c -> c.reference().equals(reference)).forEach(found::add);
        return found;
    }

    synchronized List<Refund> refundsFor(String reference) {
        List<Refund> found = new ArrayList<>();
        refundsByCharge.values().stream()
                .filter(refund -> charges.get(refund.chargeId()).reference().equals(reference))
                .forEach(found::add);
        return found;
    }

    synchronized Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("charges", charges.size());
        stats.put(
                "authorized",
                charges.values().stream()
                        .filter(c -> c.status().equals("authorized"))
                        .count());
        stats.put(
                "declined",
                charges.values().stream()
                        .filter(c -> c.status().equals("declined"))
                        .count());
        stats.put("refunds", refundsByCharge.size());
        stats.put("replays", replays);
        stats.put("canceledChargeKeys", canceledChargeKeys.size());
        stats.put("refusedAfterCancel", refusedAfterCancel);
        return stats;
    }
}
