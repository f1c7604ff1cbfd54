package io.orderflow.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST API of Confluent's schema registry, the part clients and operators use, with its status codes and
 * {@code error_code} values, so that any Confluent client or tool can talk to this registry.
 */
final class RegistryHttpApi implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpApi.class);
    private static final JsonMapper json = JsonMapper.builder().build();

    private final SchemaRegistry registry;

    RegistryHttpApi(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Object body;
            int status = 200;
            try {
                body = route(exchange);
            } catch (RegistryException e) {
                status = e.status();
                body = error(e.errorCode(), e.getMessage());
                if (e.status() >= 500) {
                    log.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                body = error(50001, "Internal error: " + e);
            }
            byte[] bytes = json.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private Object route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        boolean deleted = Boolean.parseBoolean(query.getOrDefault("deleted", "false"));
        int size = path.size();
        String root = size == 0 ? "" : path.get(0);
        switch (root) {
            case "" -> {
                return Map.of();
            }
            case "subjects" -> {
                if (size == 1 && method.equals("GET")) {
                    return registry.subjects(deleted);
                }
                if (size < 2) {
                    break;
                }
                String subject = path.get(1);
                if (size == 2 && method.equals("POST")) {
                    var found = registry.lookup(subject, schemaOf(exchange), deleted);
                    return versionBody(found);
                }
                if (size == 2 && method.equals("DELETE")) {
                    refusePermanent(query);
                    return registry.deleteSubject(subject);
                }
                if (size == 3 && path.get(2).equals("versions")) {
                    if (method.equals("GET")) {
                        return registry.versions(subject, deleted);
                    }
                    if (method.equals("POST")) {
                        return Map.of("id", registry.register(subject, schemaOf(exchange)));
                    }
                }
                if (size >= 4 && path.get(2).equals("versions")) {
                    int version = version(path.get(3));
                    if (size == 4 && method.equals("GET")) {
                        return versionBody(registry.version(subject, version, deleted));
                    }
                    if (size == 5 && path.get(4).equals("schema") && method.equals("GET")) {
                        return json.readTree(
                                registry.version(subject, version, deleted).schema());
                    }
                    if (size == 4 && method.equals("DELETE")) {
                        refusePermanent(query);
                        return registry.deleteVersion(subject, version);
                    }
                }
            }
            case "schemas" -> {
                if (size >= 3 && path.get(1).equals("ids") && method.equals("GET")) {
                    int id = id(path.get(2));
                    if (size == 3) {
                        return Map.of("schema", registry.schemaById(id));
                    }
                    if (size == 4 && path.get(3).equals("schema")) {
                        return json.readTree(registry.schemaById(id));
                    }
                    if (size == 4 && path.get(3).equals("versions")) {
                        return registry.subjectVersionsOf(id);
                    }
                }
            }
            case "compatibility" -> {
                if (size >= 4
                        && size <= 5
                        && path.get(1).equals("subjects")
                        && path.get(3).equals("versions")
                        && method.equals("POST")) {
                    Integer version = size == 5 ? version(path.get(4)) : null;
                    List<String> problems = registry.compatibility(path.get(2), version, schemaOf(exchange));
                    ObjectNode verdict = json.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (Boolean.parseBoolean(query.getOrDefault("verbose", "false"))) {
                        problems.forEach(verdict.putArray("messages")::add);
                    }
                    return verdict;
                }
            }
            case "config" -> {
                if (size == 1) {
                    if (method.equals("GET")) {
                        return Map.of(
                                "compatibilityLevel", registry.globalLevel().name());
                    }
                    if (method.equals("PUT")) {
                        CompatibilityLevel level = levelOf(exchange);
                        registry.setGlobalLevel(level);
                        return Map.of("compatibility", level.name());
                    }
                }
                if (size == 2) {
                    String subject = path.get(1);
                    if (method.equals("GET")) {
                        boolean defaultToGlobal = Boolean.parseBoolean(query.getOrDefault("defaultToGlobal", "false"));
                        CompatibilityLevel level = registry.subjectLevel(subject)
                                .or(() -> defaultToGlobal
                                        ? java.util.Optional.of(registry.globalLevel())
                                        : java.util.Optional.empty())
                                .orElseThrow(() -> RegistryException.subjectConfigNotFound(subject));
                        return Map.of("compatibilityLevel", level.name());
                    }
                    if (method.equals("PUT")) {
                        CompatibilityLevel level = levelOf(exchange);
                        registry.setSubjectLevel(subject, level);
                        return Map.of("compatibility", level.name());
                    }
                    if (method.equals("DELETE")) {
                        return Map.of(
                                "compatibilityLevel",
                                registry.deleteSubjectLevel(subject).name());
                    }
                }
            }
            default -> {
                // falls through to 404
            }
        }
        throw new RegistryException(
                404,
                404,
                "HTTP 404 Not Found: " + method + " " + exchange.getRequestURI().getPath());
    }

    private static Map<String, Object> versionBody(SchemaRegistry.RegisteredSchema schema) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("subject", schema.subject());
        body.put("version", schema.version());
        body.put("id", schema.id());
        body.put("schema", schema.schema());
        return body;
    }

    private static void refusePermanent(Map<String, String> query) {
        if (Boolean.parseBoolean(query.getOrDefault("permanent", "false"))) {
            throw new RegistryException(
                    422,
                    42205,
                    "Permanent deletion is not supported by this registry:"
                            + " soft-deleted schemas keep their ids so that records written with them stay readable");
        }
    }

    private static String schemaOf(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        JsonNode type = body.path("schemaType");
        // Absent or null means AVRO, as Confluent reads it; anything but the text AVRO is refused, an object too.
        if (!type.isMissingNode()
                && !type.isNull()
                && !(type.isString() && type.asString().equals("AVRO"))) {
            String named = type.isString() ? type.asString() : type.toString();
            throw RegistryException.invalidSchema(
                    "schemaType " + named + " is not supported; this registry holds AVRO");
        }
        if (body.has("references") && body.get("references").size() > 0) {
            throw RegistryException.invalidSchema("schema references are not supported; inline the named types");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isString()) {
            throw RegistryException.invalidSchema("the body must be {\"schema\": \"<the schema as a JSON string>\"}");
        }
        return schema.asString();
    }

    private static CompatibilityLevel levelOf(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        String value = body.path("compatibility").asString(null);
        return CompatibilityLevel.parse(value).orElseThrow(() -> RegistryException.invalidCompatibilityLevel(value));
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                // Read what a reasonable client sends, so it reads the 413 instead of a reset connection.
                skipUpTo(in, 64L * MAX_BODY_BYTES);
                throw tooLarge();
            }
        }
        try {
            JsonNode body = json.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw RegistryException.badRequest("the request body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw RegistryException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static RegistryException tooLarge() {
        return new RegistryException(413, 413, "The request body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static void skipUpTo(InputStream in, long limit) throws IOException {
        long skipped = 0;
        byte[] buffer = new byte[64 * 1024];
        int read;
        while (skipped < limit && (read = in.read(buffer)) > 0) {
            skipped += read;
        }
    }

    private static int version(String text) {
        if (text.equals("latest")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == -1 || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RegistryException.invalidVersion(text);
    }

    private static int id(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("'" + text + "'");
        }
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }

    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
