package io.orderflow.apidocs.testing;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a service's OpenAPI document against the service as it runs: the document is valid by the OpenAPI project's
 * own parser (swagger-parser), and every endpoint the service serves is in it, so a new endpoint cannot be left out
 * of the document, nor the document keep one that is gone unnoticed.
 */
public final class ApiDocsCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private ApiDocsCheck() {}

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
     * (documented by Spring Boot) and the document's own are left out.
     *
     * @param access   the service's {@code GET /actuator/access}: every endpoint it serves, from its handler mappings
     * @param document its {@code GET /v3/api-docs}
     */
    public static List<String> undocumented(String access, String document) {
        JsonNode paths = JSON.readTree(document).path("paths");
        List<String> missing = new ArrayList<>();
        for (JsonNode endpoint : JSON.readTree(access).path("endpoints")) {
            String path = withoutRegexes(endpoint.path("pattern").asString());
            if (path.startsWith("/actuator") || path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
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
