package io.orderflow.apidocs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.apidocs.events.AsyncApiAutoConfiguration;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a service's OpenAPI document against the service as it runs: the document is valid by the OpenAPI project's
 * own parser (swagger-parser); every endpoint the service serves is in it (springdoc reads the controllers itself, so
 * this catches a functional route or a hidden endpoint left out); and each operation says who may call it as the
 * filter chain decides it.
 */
public final class ApiDocsCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private ApiDocsCheck() {}

    /**
     * A running service's document, read without a token as anyone may, and its endpoints as it lists them to an
     * operator, with the checks of both.
     */
    public record Service(String document, String access) {

        public static Service at(String baseUrl, String operatorToken) {
            return new Service(
                    read(HttpRequest.newBuilder(URI.create(baseUrl + "/v3/api-docs"))),
                    read(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/access"))
                            .header("Authorization", "Bearer " + operatorToken)));
        }

        public List<String> problems() {
            return ApiDocsCheck.problems(document);
        }

        public List<String> undocumented() {
            return ApiDocsCheck.undocumented(access, document);
        }

        public List<String> misdescribedAccess() {
            return ApiDocsCheck.misdescribedAccess(access, document);
        }

        public List<String> operations() {
            return ApiDocsCheck.operations(document);
        }

        /**
         * Asserts that the document is valid, describes every endpoint the service serves, states each one's access
         * as the service enforces it, and has at least these operations ({@code METHOD /path}).
         */
        public void assertDescribesItself(String... someOperations) {
            assertThat(problems()).as("swagger-parser on the document").isEmpty();
            assertThat(undocumented()).as("endpoints the document leaves out").isEmpty();
            assertThat(misdescribedAccess())
                    .as("operations whose access it misstates")
                    .isEmpty();
            assertThat(operations()).contains(someOperations);
        }

        /** The body of a request that must be answered 200. */
        static String read(HttpRequest.Builder request) {
            try {
                HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(
                            answer.uri() + " answered " + answer.statusCode() + ": " + answer.body());
                }
                return answer.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** What swagger-parser finds wrong with the document (empty when nothing). */
    public static List<String> problems(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        List<String> problems = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        if (result.getOpenAPI() == null) {
            problems.add("not an OpenAPI document");
        }
        return problems;
    }

    /**
     * The endpoints of a running service that the document does not describe, as {@code METHOD /path}; actuator's
     * (documented by Spring Boot), the document's own and the AsyncAPI document are left out.
     *
     * @param access   the service's {@code GET /actuator/access}: every endpoint it serves, from its handler mappings
     * @param document its {@code GET /v3/api-docs}
     */
    public static List<String> undocumented(String access, String document) {
        JsonNode paths = JSON.readTree(document).path("paths");
        List<String> missing = new ArrayList<>();
        for (JsonNode endpoint : JSON.readTree(access).path("endpoints")) {
            String path = withoutRegexes(endpoint.path("pattern").asString());
            if (path.startsWith("/actuator")
                    || path.startsWith("/v3/api-docs")
                    || path.startsWith("/swagger-ui")
                    || path.equals(AsyncApiAutoConfiguration.PATH)) {
                continue;
            }
            String method = endpoint.path("method").isNull()
                    ? null
                    : endpoint.path("method").asString();
            JsonNode item = paths.path(path);
            boolean documented =
                    method == null ? item.isObject() && !item.isEmpty() : item.has(method.toLowerCase(Locale.ROOT));
            if (!documented) {
                missing.add((method == null ? "*" : method) + " " + path);
            }
        }
        return missing;
    }

    /**
     * The operations whose access the document describes otherwise than the service enforces it, each with what is
     * wrong: an open endpoint must need no token ({@code security: []}), any other the bearer token with exactly its
     * rule's roles.
     */
    public static List<String> misdescribedAccess(String access, String document) {
        JsonNode paths = JSON.readTree(document).path("paths");
        List<String> wrong = new ArrayList<>();
        for (JsonNode endpoint : JSON.readTree(access).path("endpoints")) {
            String path = withoutRegexes(endpoint.path("pattern").asString());
            if (endpoint.path("method").isNull() || !endpoint.path("covered").asBoolean()) {
                continue;
            }
            String method = endpoint.path("method").asString();
            JsonNode operation = paths.path(path).path(method.toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                continue;
            }
            String what = method + " " + path;
            JsonNode security = operation.path("security");
            if (endpoint.path("open").asBoolean()) {
                if (!security.isArray() || !security.isEmpty()) {
                    wrong.add(what + " is open, the document says it needs " + security);
                }
                continue;
            }
            List<String> roles = endpoint.path("roles")
                    .valueStream()
                    .map(JsonNode::asString)
                    .sorted()
                    .toList();
            List<String> described = operation
                    .path("x-orderflow-roles")
                    .valueStream()
                    .map(JsonNode::asString)
                    .sorted()
                    .toList();
            if (!roles.equals(described)) {
                wrong.add(what + " is for " + roles + ", the document says " + described);
            }
            if (!security.isArray() || security.isEmpty() || !security.get(0).has("bearer")) {
                wrong.add(what + " needs a bearer token, the document says " + security);
            }
        }
        return wrong;
    }

    /** The document's operations, as {@code METHOD /path}. */
    public static List<String> operations(String document) {
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path :
                JSON.readTree(document).path("paths").properties()) {
            path.getValue().propertyNames().stream()
                    .filter(HTTP_METHODS::contains)
                    .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        return operations;
    }

    /** {@code /orders/{id:[0-9]+}} as the document writes it: {@code /orders/{id}}. */
    private static String withoutRegexes(String pattern) {
        return pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
    }
}
