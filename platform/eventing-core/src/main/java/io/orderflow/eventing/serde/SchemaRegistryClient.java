package io.orderflow.eventing.serde;

import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.clientconfig.RegistryAccess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of any Confluent-compatible schema registry, over its REST API. Ids and schemas never change once
 * assigned, so both are cached for the life of the process: with the schemas of its events cached, a service goes
 * on producing and consuming while the registry is down.
 *
 * <p>Over HTTPS it trusts the certificates of its {@link RegistryAccess}'s truststore (a private CA), or the JDK's,
 * and checks that the certificate names the registry's host; with a user it sends HTTP basic authentication on every
 * request.
 */
public final class SchemaRegistryClient {

    private static final JsonMapper json = new JsonMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final String baseUrl;
    private final Duration timeout;
    private final RegistryAccess access;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    /** A client of a registry on plain HTTP, or on HTTPS with a certificate the JDK trusts, without a user. */
    public SchemaRegistryClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, RegistryAccess.NONE);
    }

    /**
     * @throws io.orderflow.eventing.clientconfig.ClientConfigException when the access's truststore cannot be read
     */
    public SchemaRegistryClient(String baseUrl, Duration timeout, RegistryAccess access) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.access = access;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        access.sslContext().ifPresent(http::sslContext);
        this.http = http.build();
    }

    public String url() {
        return baseUrl;
    }

    private record SubjectSchema(String subject, Schema schema) {}

    /** Registers a schema under a subject (a no-op answering the same id when it is there already). */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema))
                .get("id")
                .asInt();
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The id of a schema already registered under a subject, if it is. */
    public Optional<Integer> idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            int id = send("POST", "/subjects/" + encode(subject), schemaBody(schema))
                    .get("id")
                    .asInt();
            idsBySubjectSchema.put(key, id);
            return Optional.of(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
                    || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The schema with a global id.
     *
     * @throws SchemaRegistryException with 40403 when no schema has that id
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parseSchema(answer.path("schema"), "GET /schemas/ids/" + id);
        schemasById.put(id, schema);
        return schema;
    }

    /** The live versions of a subject, oldest first; empty when the subject does not exist. */
    public List<Schema> versions(String subject) {
        return registeredVersions(subject).stream()
                .map(RegisteredVersion::schema)
                .toList();
    }

    /** The live versions of a subject with their numbers and ids, oldest first; empty when there is no subject. */
    public List<RegisteredVersion> registeredVersions(String subject) {
        JsonNode numbers;
        try {
            numbers = send("GET", "/subjects/" + encode(subject) + "/versions", null);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        List<RegisteredVersion> versions = new ArrayList<>();
        for (JsonNode number : numbers) {
            // The version answer carries the schema itself: no second call by id.
            JsonNode version = send("GET", "/subjects/" + encode(subject) + "/versions/" + number.asInt(0), null);
            int id = version.path("id").asInt(0);
            Schema schema = schemasById.computeIfAbsent(
                    id, any -> parseSchema(version.path("schema"), "GET /subjects/" + subject + "/versions/" + number));
            versions.add(new RegisteredVersion(version.path("version").asInt(number.asInt(0)), id, schema));
        }
        return versions;
    }

    /** One version of a subject: its number within the subject, its global id, its schema. */
    public record RegisteredVersion(int version, int id, Schema schema) {}

    /** Why a schema could not be registered under a subject at its compatibility level; empty when it could. */
    public List<String> incompatibilities(String subject, Schema schema) {
        JsonNode verdict = send(
                "POST", "/compatibility/subjects/" + encode(subject) + "/versions?verbose=true", schemaBody(schema));
        List<String> messages = new ArrayList<>();
        verdict.path("messages").forEach(message -> messages.add(message.asString("")));
        if (!verdict.path("is_compatible").asBoolean(false) && messages.isEmpty()) {
            messages.add("the registry says it is incompatible and gives no details");
        }
        return messages;
    }

    /**
     * A registry stores only schemas it could parse, so an answer without one is the registry's (or a proxy's)
     * failure, not the failure of whatever record asked for it: it is retried as an outage, never dead-lettered.
     */
    private Schema parseSchema(JsonNode text, String request) {
        if (!text.isString()) {
            throw new SchemaRegistryUnavailableException(
                    "schema registry " + baseUrl + " answered " + request + " without a schema", null);
        }
        try {
            return new Schema.Parser().parse(text.asString());
        } catch (RuntimeException e) {
            throw new SchemaRegistryUnavailableException(
                    "schema registry " + baseUrl + " answered " + request
                            + " with something that is not an Avro schema: " + e.getMessage(),
                    e);
        }
    }

    private static String schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Answers that say nothing about what was asked: credentials or permissions an operator must fix (401, 403,
     * 407), a request that timed out (408), throttling (429). Asking again later is the way out.
     */
    private static boolean refusesUsForNow(int status) {
        return status == 401 || status == 403 || status == 407 || status == 408 || status == 429;
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        access.authorization().ifPresent(authorization -> request.header("Authorization", authorization));
        HttpResponse<String> response;
        // The request's own timeout ends once the headers are in: a body that stalls after them would hold the
        // caller (a consumer fetching a writer's schema) without end. The whole answer is bounded here.
        CompletableFuture<HttpResponse<String>> answered =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
            response = answered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answered.cancel(true);
            throw new SchemaRegistryUnavailableException(
                    "schema registry " + baseUrl + " did not answer within " + timeout.toMillis() + " ms: " + method
                            + " " + path,
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
                if (inner instanceof SSLException ssl) {
                    throw new SchemaRegistryUnavailableException(untrusted(ssl), ssl);
                }
            }
            throw new SchemaRegistryUnavailableException(
                    "schema registry " + baseUrl + " unreachable: " + cause, cause);
        } catch (InterruptedException e) {
            answered.cancel(true);
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("interrupted calling the schema registry", e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new SchemaRegistryUnavailableException(refused(method, path, response.statusCode()), null);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (JacksonException e) {
            throw new SchemaRegistryUnavailableException(
                    "schema registry " + baseUrl + " answered " + method + " " + path + " with HTTP "
                            + response.statusCode() + " and a body that is not JSON",
                    e);
        }
        if (response.statusCode() >= 500 || refusesUsForNow(response.statusCode())) {
            throw new SchemaRegistryUnavailableException(
                    "schema registry " + baseUrl + " failed " + method + " " + path + ": HTTP " + response.statusCode()
                            + " " + answer,
                    null);
        }
        if (response.statusCode() >= 400) {
            throw new SchemaRegistryException(
                    response.statusCode(),
                    answer.path("error_code").asInt(0),
                    answer.path("message").asString(response.body()));
        }
        return answer;
    }

    /** Why the registry refused a request, and what to fix: never the password. */
    private String refused(String method, String path, int status) {
        String where = "schema registry " + baseUrl + " refused " + method + " " + path + " (HTTP " + status + "): ";
        if (status == 403) {
            return where + "user '" + access.user().orElse("(none)")
                    + "' is not allowed to do this; grant it access to the registry's subjects, or use another user";
        }
        return where
                + access.user()
                        .map(user -> "user '" + user + "' and its password were not accepted; check both ("
                                + ClientConfig.USER_INFO + "=user:password in the file " + ClientConfig.VARIABLE
                                + " names)")
                        .orElse("it requires a user, and none is configured; set " + ClientConfig.CREDENTIALS_SOURCE
                                + "=USER_INFO and " + ClientConfig.USER_INFO + "=user:password in the file "
                                + ClientConfig.VARIABLE + " names");
    }

    /** The registry's certificate is not trusted or does not name its host, or it does not speak TLS at all. */
    private String untrusted(SSLException e) {
        String trusted = access.trusted()
                .map(truststore -> "the truststore " + truststore.location() + " ("
                        + ClientConfig.REGISTRY_TRUSTSTORE_LOCATION + ")")
                .orElse("the JDK's CAs (" + ClientConfig.REGISTRY_TRUSTSTORE_LOCATION + " is not set)");
        return "schema registry " + baseUrl + ": TLS handshake failed (" + e.getMessage() + "); check that it serves"
                + " HTTPS there, that its certificate is signed by a CA in " + trusted
                + ", and that the certificate names the host of the URL";
    }
}
