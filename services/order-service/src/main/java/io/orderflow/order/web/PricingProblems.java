package io.orderflow.order.web;

import io.orderflow.order.domain.Pricing;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Why the catalogue could not price an order, as a problem detail a client can act on. */
final class PricingProblems {

    private PricingProblems() {}

    static ProblemDetail of(Pricing.Refusal refusal) {
        if (refusal instanceof Pricing.UnknownProducts unknown) {
            ProblemDetail problem = problem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Unknown product",
                    "unknown product(s): " + String.join(", ", unknown.productIds()));
            problem.setProperty("unknownProducts", unknown.productIds());
            return problem;
        }
        if (refusal instanceof Pricing.NotSoldIn notSold) {
            ProblemDetail problem = problem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "Not sold in this currency",
                    "not sold in " + notSold.currency() + ": " + String.join(", ", notSold.productIds()));
            problem.setProperty("notSoldIn", notSold.currency());
            problem.setProperty("products", notSold.productIds());
            return problem;
        }
        if (refusal instanceof Pricing.PriceChanged changed) {
            // 409: the request was right when the client priced it; the catalogue has moved on since.
            ProblemDetail problem = problem(
                    HttpStatus.CONFLICT,
                    "Price changed",
                    "the price has changed: "
                            + changed.prices().stream()
                                    .map(price -> price.productId() + " costs " + changed.currency() + " "
                                            + price.current().toPlainString() + ", not "
                                            + price.quoted().toPlainString())
                                    .collect(Collectors.joining("; "))
                            + "; show the customer the current price and send the order again");
            List<Map<String, Object>> current = changed.prices().stream()
                    .map(price -> Map.<String, Object>of(
                            "productId",
                            price.productId(),
                            "currency",
                            changed.currency(),
                            "unitPrice",
                            price.current(),
                            "quotedUnitPrice",
                            price.quoted()))
                    .toList();
            problem.setProperty("currentPrices", current);
            return problem;
        }
        Pricing.TotalTooLarge tooLarge = (Pricing.TotalTooLarge) refusal;
        return problem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "Order too large",
                "the order's total " + tooLarge.total().toPlainString()
                        + " is more than an order can carry (" + Pricing.MAX_TOTAL.toPlainString()
                        + "): split it into smaller orders");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
