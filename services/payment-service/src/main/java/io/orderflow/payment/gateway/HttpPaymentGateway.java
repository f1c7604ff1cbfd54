package io.orderflow.payment.gateway;

import io.orderflow.payment.application.ChargeFound;
import io.orderflow.payment.application.ChargeOutcome;
import io.orderflow.payment.application.ChargeRequest;
import io.orderflow.payment.application.RefundOutcome;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP call to the provider's charge endpoint, and what its answer means. Anything but a well-formed answer is a
 * transient failure, never a payment: the caller asks again with the same idempotency key.
 */
final class HttpPaymentGateway {

    private static final ObjectMapper json = JsonMapper.builder().build();

    private final String baseUrl;
    private final URI charges;
    private final HttpClient http;

    HttpPaymentGateway(String baseUrl, Duration connectTimeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.charges = URI.create(this.baseUrl + "/v1/charges");
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    CompletableFuture<ChargeOutcome> charge(ChargeRequest request) {
        String body = json.createObjectNode()
                .put("reference", request.reference())
                .put("amount", request.amount().toPlainString())
                .put("currency", request.currency())
                .toString();
        HttpRequest call = HttpRequest.newBuilder(charges)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", request.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(call, HttpResponse.BodyHandlers.ofString())
                .exceptionally(failure -> {
                    throw new TransientGatewayException("provider unreachable: " + failure.getMessage(), failure);
                })
                .thenApply(response -> outcome(request, response));
    }

    CompletableFuture<RefundOutcome> refund(String idempotencyKey, String chargeId) {
        HttpRequest call = HttpRequest.newBuilder(URI.create(
                        baseUrl + "/v1/charges/" + URLEncoder.encode(chargeId, StandardCharsets.UTF_8) + "/refunds"))
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(call, HttpResponse.BodyHandlers.ofString())
                .exceptionally(failure -> {
                    throw new TransientGatewayException("provider unreachable: " + failure.getMessage(), failure);
                })
                .thenApply(response -> refundOutcome(chargeId, response));
    }

    CompletableFuture<java.util.Optional<ChargeFound>> cancelCharge(String idempotencyKey) {
        HttpRequest call = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/charge-keys/"
                        + URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8) + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(call, HttpResponse.BodyHandlers.ofString())
                .exceptionally(failure -> {
                    throw new TransientGatewayException("provider unreachable: " + failure.getMessage(), failure);
                })
                .thenApply(response -> chargeMadeBeforeTheCancel(idempotencyKey, response));
    }

    private static java.util.Optional<ChargeFound> chargeMadeBeforeTheCancel(
            String key, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new TransientGatewayException("provider answered HTTP " + status + " to the cancel of " + key, null);
        }
        if (status != 200) {
            // Asking again will not help: an operator must look (the check is given up after its attempts).
            throw new IllegalStateException(
                    "provider refused to cancel the charge key " + key + ": HTTP " + status + " " + response.body());
        }
        JsonNode answer =
                bodyAsJson(response, "provider answered the cancel of " + key + " with a body that is " + "not JSON");
        String outcome = answer.path("status").asString("");
        if (outcome.equals("canceled")) {
            return java.util.Optional.empty();
        }
        JsonNode charge = answer.path("charge");
        if (outcome.equals("charged") && charge.path("status").asString("").equals("declined")) {
            return java.util.Optional.empty();
        }
        if (outcome.equals("charged")
                && charge.path("status").asString("").equals("authorized")
                && !charge.path("id").asString("").isBlank()) {
            return java.util.Optional.of(new ChargeFound(
                    charge.path("id").asString(),
                    new java.math.BigDecimal(charge.path("amount").asString()),
                    charge.path("currency").asString()));
        }
        throw new TransientGatewayException(
                "provider answered the cancel of " + key + " without a decision: " + answer, null);
    }

    private static RefundOutcome refundOutcome(String chargeId, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new TransientGatewayException("provider answered HTTP " + status, null);
        }
        if (status >= 400) {
            // The provider will not refund this charge (unknown, not authorized, refunded under another key).
            return new RefundOutcome.Refused(
                    "provider refused the refund of " + chargeId + ": HTTP " + status + " " + response.body());
        }
        JsonNode answer = bodyAsJson(response, "provider answered HTTP " + status + " with a body that is not JSON");
        String refundId = answer.path("id").asString("");
        if (refundId.isBlank()) {
            throw new TransientGatewayException(
                    "provider answered HTTP " + status + " without a refund id: " + answer, null);
        }
        return new RefundOutcome.Refunded(refundId);
    }

    private static ChargeOutcome outcome(ChargeRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new TransientGatewayException("provider answered HTTP " + status, null);
        }
        if (status >= 400) {
            // Our request is wrong: asking again will not help, and it is not a decline either.
            throw new IllegalStateException("provider refused the charge of " + request.reference() + ": HTTP " + status
                    + " " + response.body());
        }
        JsonNode answer = bodyAsJson(response, "provider answered HTTP " + status + " with a body that is not JSON");
        String outcome = answer.path("status").asString("");
        String chargeId = answer.path("id").asString("");
        if (outcome.equals("authorized") && !chargeId.isBlank()) {
            return new ChargeOutcome.Authorized(chargeId);
        }
        if (outcome.equals("declined")) {
            return new ChargeOutcome.Declined(answer.path("declineReason").asString("declined"));
        }
        throw new TransientGatewayException(
                "provider answered HTTP " + status + " without a decision: " + answer, null);
    }

    /** The answer's body as JSON; a body that is not JSON is a transient failure, never an answer. */
    private static JsonNode bodyAsJson(HttpResponse<String> response, String notJson) {
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw new TransientGatewayException(notJson, e);
        }
    }
}
