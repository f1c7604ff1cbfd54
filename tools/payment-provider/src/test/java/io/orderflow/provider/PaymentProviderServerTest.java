package io.orderflow.provider;

import static io.orderflow.devstack.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.TestHttp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated provider over real HTTP: it must behave like a real one where payment-service relies on it. */
class PaymentProviderServerTest {

    private final PaymentProviderServer provider = PaymentProviderServer.start(0);
    private final TestHttp http = new TestHttp(provider.url());

    @AfterEach
    void stop() {
        provider.close();
    }

    private HttpResponse<String> post(String path, String key, String body) {
        return key == null ? http.post(path, body) : http.post(path, body, "Idempotency-Key", key);
    }

    /** The amount as a string, as the provider takes it, so that a test can send one that is no number. */
    private HttpResponse<String> charge(String key, String reference, String amount) {
        return post("/v1/charges", key, json(Map.of("reference", reference, "amount", amount, "currency", "EUR")));
    }

    private long stat(String name) {
        return ((Number) provider.stats().get(name)).longValue();
    }

    @Test
    void theSameKeyChargesOnceAndAnswersTheSame() throws Exception {
        String key = "order-1:authorize";
        HttpResponse<String> first = charge(key, "order-1", "12.50");
        HttpResponse<String> again = charge(key, "order-1", "12.50");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(json(first).get("status").asString()).isEqualTo("authorized");
        assertThat(json(again).get("id").asString())
                .isEqualTo(json(first).get("id").asString());
        assertThat(stat("charges")).isEqualTo(1);
        assertThat(stat("replays")).isEqualTo(1);
        assertThat(charge(key, "order-1", "99.00").statusCode())
                .as("same key, other request")
                .isEqualTo(422);
    }

    @Test
    void switchesMakeItDeclineFailOrGoDownWithoutCharging() throws Exception {
        provider.behave(new ProviderSwitches(0, 1.0, 0, 0, false));
        assertThat(json(charge(UUID.randomUUID().toString(), "o-d", "5.00"))
                        .get("declineReason")
                        .asString())
                .isEqualTo("insufficient_funds");

        provider.behave(new ProviderSwitches(0, 0, 1.0, 0, false));
        assertThat(charge(UUID.randomUUID().toString(), "o-e", "5.00").statusCode())
                .isEqualTo(500);
        provider.behave(new ProviderSwitches(0, 0, 0, 0, true));
        assertThat(charge(UUID.randomUUID().toString(), "o-o", "5.00").statusCode())
                .isEqualTo(503);
        assertThat(stat("charges")).as("only the declined one was recorded").isEqualTo(1);
    }

    @Test
    void theSwitchesAreSetOverHttp() throws Exception {
        assertThat(put("/control", "{\"outage\":true}").statusCode()).isEqualTo(200);
        assertThat(charge("k-c1", "o-c", "1.00").statusCode()).isEqualTo(503);
        assertThat(put("/control", "{}").statusCode()).isEqualTo(200);
        assertThat(charge("k-c1", "o-c", "1.00").statusCode()).isEqualTo(201);
        assertThat(put("/control", "{\"declineAmount\":\"66.60\"}").statusCode())
                .isEqualTo(200);
        assertThat(json(charge("k-c2", "o-c2", "66.6")).get("status").asString())
                .isEqualTo("declined");
        assertThat(json(charge("k-c3", "o-c3", "66.61")).get("status").asString())
                .isEqualTo("authorized");
        assertThat(put("/control", "{\"declineRate\":2}").statusCode())
                .as("a rate above 1")
                .isEqualTo(400);
        assertThat(put("/control", "{nope").statusCode()).isEqualTo(400);
        assertThat(put("/control", "{\"outtage\":true}").statusCode())
                .as("a misspelt switch")
                .isEqualTo(400);
    }

    private HttpResponse<String> put(String path, String body) {
        return http.put(path, body);
    }

    @Test
    void aGarbageAnswerHidesACharge() throws Exception {
        provider.behave(new ProviderSwitches(0, 0, 0, 1.0, false));
        HttpResponse<String> garbage = charge("k-garbage", "o-g", "7.00");
        assertThat(garbage.body()).startsWith("<html>");
        provider.behave(ProviderSwitches.healthy());
        HttpResponse<String> retried = charge("k-garbage", "o-g", "7.00");
        assertThat(json(retried).get("status").asString()).isEqualTo("authorized");
        assertThat(stat("charges")).isEqualTo(1);
        HttpResponse<String> byReference = http.get("/v1/charges?reference=o-g");
        assertThat(json(byReference)).hasSize(1);
    }

    @Test
    void refundsOnceAndRefusesWhatCannotBeRefunded() throws Exception {
        String charge = json(charge("k-r", "o-r", "20.00")).get("id").asString();
        HttpResponse<String> refund = post("/v1/charges/" + charge + "/refunds", "o-r:refund", "{}");
        assertThat(refund.statusCode()).isEqualTo(201);
        assertThat(post("/v1/charges/" + charge + "/refunds", "o-r:refund", "{}")
                        .body())
                .isEqualTo(refund.body());
        assertThat(post("/v1/charges/" + charge + "/refunds", "another-key", "{}")
                        .statusCode())
                .isEqualTo(409);
        assertThat(post("/v1/charges/ch_nope/refunds", "k-nope", "{}").statusCode())
                .isEqualTo(404);
        assertThat(stat("refunds")).isEqualTo(1);
    }

    @Test
    void aCanceledChargeKeyRefusesEveryChargeThatLandsLaterAndGivesBackAChargeMadeBefore() throws Exception {
        HttpResponse<String> canceled = post("/v1/charge-keys/k-x/cancel", null, "");
        assertThat(canceled.statusCode()).isEqualTo(200);
        assertThat(json(canceled).get("status").asString()).isEqualTo("canceled");
        assertThat(charge("k-x", "o-x", "9.00").statusCode())
                .as("a charge landing after the cancel")
                .isEqualTo(409);
        assertThat(json(post("/v1/charge-keys/k-x/cancel", null, ""))
                        .get("status")
                        .asString())
                .isEqualTo("canceled");

        String made = json(charge("k-y", "o-y", "9.00")).get("id").asString();
        HttpResponse<String> tooLate = post("/v1/charge-keys/k-y/cancel", null, "");
        assertThat(tooLate.statusCode()).isEqualTo(200);
        assertThat(json(tooLate).get("status").asString()).isEqualTo("charged");
        assertThat(json(tooLate).get("charge").get("id").asString()).isEqualTo(made);
        assertThat(charge("k-y", "o-y", "9.00").statusCode())
                .as("the charge made stays answered")
                .isEqualTo(201);
        assertThat(stat("charges")).isEqualTo(1);
    }

    @Test
    void badRequestsAreRefusedWithAReason() throws Exception {
        assertThat(charge(null, "o", "1.00").statusCode()).isEqualTo(400);
        assertThat(charge("k1", "o", "-1.00").statusCode()).isEqualTo(400);
        assertThat(charge("k2", "o", "1.001").statusCode()).isEqualTo(400);
        assertThat(charge("k3", "o", "ten").statusCode()).isEqualTo(400);
        assertThat(post("/v1/charges", "k4", "{not json").statusCode()).isEqualTo(400);
        assertThat(post("/v1/charges", "k5", "{\"reference\":\"o\",\"amount\":\"1.00\",\"currency\":\"eur\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(json(post("/v1/charges", "k6", "[]")).get("error").asString())
                .contains("JSON object");
        assertThat(stat("charges")).isZero();
    }

    @Test
    void anAmountOfABillionDigitsIsA400NotALostConnection() throws Exception {
        HttpResponse<String> huge = charge("k-huge", "o-huge", "1e999999999");

        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(json(huge).get("error").asString()).contains("at most 12 digits before the point");
        assertThat(charge("k-max", "o-max", "999999999999.99").statusCode()).isEqualTo(201);
        assertThat(stat("charges")).isEqualTo(1);
    }

    @Test
    void aKeyIsDecodedOnceAsTheClientEncodedIt() throws Exception {
        HttpResponse<String> canceled =
                post("/v1/charge-keys/" + URLEncoder.encode("k%+ 1", StandardCharsets.UTF_8) + "/cancel", null, "");

        assertThat(canceled.statusCode()).isEqualTo(200);
        assertThat(charge("k%+ 1", "o-1", "9.00").statusCode())
                .as("a charge under the canceled key")
                .isEqualTo(409);
    }
}
