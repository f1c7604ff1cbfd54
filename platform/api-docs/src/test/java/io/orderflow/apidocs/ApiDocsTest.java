package io.orderflow.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.apidocs.testapp.ThingsApp;
import io.orderflow.apidocs.testing.ApiDocsCheck;
import io.orderflow.security.testing.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springdoc.core.service.OpenAPIService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The module in a running service: its document, read without a token, against what the service serves. */
@SpringBootTest(
        classes = ThingsApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoints.web.exposure.include=health,access")
class ApiDocsTest {

    static final TestIssuer issuer = TestIssuer.start();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void issuer(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer::uri);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    OpenAPIService documents;

    @Test
    void theDocumentIsOpenValidOpenApi31AndDescribesEveryEndpoint() throws Exception {
        HttpResponse<String> answer = get("/v3/api-docs");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("openapi").asString()).startsWith("3.1");
        assertThat(ApiDocsCheck.problems(answer.body())).isEmpty();
        assertThat(ApiDocsCheck.undocumented(access(), answer.body())).isEmpty();
        assertThat(ApiDocsCheck.misdescribedAccess(access(), answer.body())).isEmpty();
        assertThat(ApiDocsCheck.operations(answer.body()))
                .containsExactlyInAnyOrder("POST /things", "GET /things/{id}", "GET /catalogue");
    }

    @Test
    void anEndpointMissingFromTheDocumentIsFound() throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(get("/v3/api-docs").body());
        ((ObjectNode) document.path("paths")).remove("/catalogue");

        assertThat(ApiDocsCheck.undocumented(access(), JSON.writeValueAsString(document)))
                .containsExactly("GET /catalogue");
    }

    @Test
    void anOperationWhoseRolesTheDocumentMisstatesIsFound() throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(get("/v3/api-docs").body());
        ObjectNode place = (ObjectNode) document.path("paths").path("/things").path("post");
        place.putArray(AccessAndProblems.ROLES_EXTENSION).add("operator");
        ((ObjectNode) document.path("paths").path("/catalogue").path("get"))
                .putArray("security")
                .addObject()
                .putArray(ApiDocsAutoConfiguration.BEARER);

        assertThat(ApiDocsCheck.misdescribedAccess(access(), JSON.writeValueAsString(document)))
                .containsExactlyInAnyOrder(
                        "POST /things is for [customer, storefront], the document says [operator]",
                        "GET /catalogue is open, the document says it needs [{\"bearer\":[]}]");
    }

    @Test
    void theCallerComesFromTheTokenAndIsNoParameter() throws Exception {
        JsonNode read = JSON.readTree(get("/v3/api-docs").body())
                .path("paths")
                .path("/things/{id}")
                .path("get");

        assertThat(read.path("parameters")
                        .valueStream()
                        .map(parameter -> parameter.path("name").asString()))
                .containsExactly("id");
    }

    @Test
    void eachOperationSaysWhoMayCallItAndItsErrorsAreProblems() throws Exception {
        JsonNode document = JSON.readTree(get("/v3/api-docs").body());

        JsonNode bearer = document.path("components").path("securitySchemes").path(ApiDocsAutoConfiguration.BEARER);
        assertThat(bearer.path("type").asString()).isEqualTo("http");
        assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asString()).isEqualTo("JWT");

        JsonNode place = document.path("paths").path("/things").path("post");
        assertThat(place.path("security").get(0).has(ApiDocsAutoConfiguration.BEARER))
                .isTrue();
        assertThat(place.path(AccessAndProblems.ROLES_EXTENSION).toString()).isEqualTo("[\"customer\",\"storefront\"]");
        assertThat(place.path("description").asString()).contains("Roles: customer, storefront.");
        for (String status : new String[] {"401", "403"}) {
            assertThat(problemSchema(place, status)).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(place.path("parameters")
                        .valueStream()
                        .map(parameter -> parameter.path("in").asString() + " "
                                + parameter.path("name").asString()))
                .contains("header Idempotency-Key");

        assertThat(problemSchema(document.path("paths").path("/things/{id}").path("get"), "404"))
                .isEqualTo("#/components/schemas/Problem");

        JsonNode catalogue = document.path("paths").path("/catalogue").path("get");
        assertThat(catalogue.path("security").isArray()).isTrue();
        assertThat(catalogue.path("security")).isEmpty();
        assertThat(catalogue.path("responses").has("401")).isFalse();
        assertThat(document.path("components").path("schemas").has(ApiDocsAutoConfiguration.PROBLEM))
                .isTrue();
    }

    @Test
    void strangersCannotFillTheMemoryWithADocumentPerLanguage() throws Exception {
        for (String language : List.of("de", "fr", "nl", "x-a", "x-b", "x-c", "x-d", "x-e")) {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                            .header("Accept-Language", language)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        }

        // springdoc keeps each document it built, by locale; only the allowed one may be kept.
        Map<?, ?> kept = (Map<?, ?>) ReflectionTestUtils.getField(documents, "cachedOpenAPI");
        assertThat(kept.keySet()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void swaggerUiIsServedWithoutAToken() throws Exception {
        assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        assertThat(get("/swagger-ui.html").statusCode()).isIn(200, 302);
        assertThat(get("/v3/api-docs.yaml").body()).startsWith("openapi: 3.1");
        assertThat(get("/things/" + UUID.randomUUID()).statusCode()).isEqualTo(401);
    }

    @Test
    void theEventDocumentIsOpenAndAProblemWhenTheRegistryCannotSayWhichVersionsExist() throws Exception {
        HttpResponse<String> answer = get("/asyncapi.json");

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(answer.body()).path("detail").asString())
                .isEqualTo("the schema registry has not told which schema versions exist yet; try again later");
    }

    private static String problemSchema(JsonNode operation, String status) {
        return operation
                .path("responses")
                .path(status)
                .path("content")
                .path("application/problem+json")
                .path("schema")
                .path("$ref")
                .asString();
    }

    /** The service's endpoints as it lists them to an operator. */
    private String access() throws Exception {
        HttpResponse<String> access = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/access"))
                        .header("Authorization", "Bearer " + issuer.token("ops", "operator"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(access.statusCode()).isEqualTo(200);
        return access.body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
