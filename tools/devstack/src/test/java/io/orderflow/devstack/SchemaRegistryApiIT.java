package io.orderflow.devstack;

import static io.orderflow.devstack.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.registry.CompatibilityLevel;
import io.orderflow.registry.SchemaRegistryServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The registry's REST API over real HTTP, with its schemas in a real broker: every endpoint, its errors and every
 * compatibility level, and a restart that must keep every id and version.
 */
class SchemaRegistryApiIT {

    private static final String TOPIC = "_schemas_api_test_" + UUID.randomUUID();
    private static SchemaRegistryServer server;
    private static TestHttp http;

    @BeforeAll
    static void startRegistry() {
        server = startServer();
        http = new TestHttp(server.url());
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    private static SchemaRegistryServer startServer() {
        return SchemaRegistryServer.start(
                TestStack.get().bootstrapServers(),
                0,
                new SchemaRegistryServer.Settings(TOPIC, (short) 1, CompatibilityLevel.BACKWARD));
    }

    private static String subject() {
        return "test-" + UUID.randomUUID();
    }

    /** A record schema named Thing with the given fields. */
    private static String thing(String fields) {
        return "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.orderflow.test\",\"fields\":[" + fields
                + "]}";
    }

    private static final String A = "{\"name\":\"a\",\"type\":\"string\"}";
    private static final String B_WITH_DEFAULT = "{\"name\":\"b\",\"type\":\"int\",\"default\":0}";
    private static final String B = "{\"name\":\"b\",\"type\":\"int\"}";

    private int register(String subject, String schema) {
        HttpResponse<String> answer = http.post("/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer).get("id").asInt();
    }

    @Test
    void registersOnceAndServesBySubjectVersionAndId() {
        String subject = subject();
        int id = register(subject, thing(A));
        assertThat(register(subject, thing(A))).as("the same schema again").isEqualTo(id);
        assertThat(register(subject, "  " + thing(A).replace(",", " , ")))
                .as("whitespace does not matter")
                .isEqualTo(id);
        String other = subject();
        assertThat(register(other, thing(A))).as("ids are global per schema").isEqualTo(id);
        int second = register(subject, thing(A + "," + B_WITH_DEFAULT));
        assertThat(second).isGreaterThan(id);

        assertThat(JsonNodes.texts(json(http.get("/subjects")))).contains(subject, other);
        assertThat(json(http.get("/subjects/" + subject + "/versions")).toString())
                .isEqualTo("[1,2]");
        HttpResponse<String> latest = http.get("/subjects/" + subject + "/versions/latest");
        assertThat(json(latest).get("version").asInt()).isEqualTo(2);
        assertThat(json(latest).get("id").asInt()).isEqualTo(second);
        assertThat(json(latest).get("subject").asString()).isEqualTo(subject);
        assertThat(json(http.get("/subjects/" + subject + "/versions/1"))
                        .get("id")
                        .asInt())
                .isEqualTo(id);
        assertThat(json(http.get("/subjects/" + subject + "/versions/1/schema"))
                        .get("name")
                        .asString())
                .isEqualTo("Thing");
        assertThat(json(http.get("/schemas/ids/" + id)).get("schema").asString())
                .contains("\"a\"");
        assertThat(json(http.get("/schemas/ids/" + id + "/schema")).get("type").asString())
                .isEqualTo("record");
        assertThat(json(http.get("/schemas/ids/" + id + "/versions")).toString())
                .contains(
                        "{\"subject\":\"" + subject + "\",\"version\":1}",
                        "{\"subject\":\"" + other + "\",\"version\":1}");

        HttpResponse<String> lookup = http.post("/subjects/" + subject, schemaBody(thing(A)));
        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(json(lookup).get("version").asInt()).isEqualTo(1);
        assertThat(json(lookup).get("id").asInt()).isEqualTo(id);
    }

    @Test
    void answersUnknownThingsWithConfluentErrorCodes() {
        String subject = subject();
        register(subject, thing(A));
        expectError(http.get("/subjects/nobody-" + UUID.randomUUID() + "/versions"), 404, 40401);
        expectError(http.get("/subjects/nobody-" + UUID.randomUUID() + "/versions/1"), 404, 40401);
        expectError(http.post("/subjects/nobody-" + UUID.randomUUID(), schemaBody(thing(A))), 404, 40401);
        expectError(http.get("/subjects/" + subject + "/versions/7"), 404, 40402);
        expectError(http.get("/subjects/" + subject + "/versions/zero"), 422, 42202);
        expectError(http.get("/subjects/" + subject + "/versions/0"), 422, 42202);
        expectError(http.post("/subjects/" + subject, schemaBody(thing(B))), 404, 40403);
        expectError(http.get("/schemas/ids/987654"), 404, 40403);
        expectError(http.get("/schemas/ids/nine"), 404, 40403);
        expectError(http.get("/no/such/path"), 404, 404);
    }

    @Test
    void rejectsBadInput() {
        String subject = subject();
        expectError(http.post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"record\"")), 422, 42201);
        expectError(http.post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"nonsense\"}")), 422, 42201);
        expectError(
                http.post(
                        "/subjects/" + subject + "/versions",
                        schemaBody(thing("{\"name\":\"n\",\"type\":\"int\",\"default\":\"text\"}"))),
                422,
                42201);
        expectError(http.post("/subjects/" + subject + "/versions", schemaBody("")), 422, 42201);
        expectError(http.post("/subjects/" + subject + "/versions", "{\"schema\": 42}"), 422, 42201);
        expectError(
                http.post(
                        "/subjects/" + subject + "/versions",
                        "{\"schema\":\"" + "x".repeat(10) + "\",\"schemaType\":\"PROTOBUF\"}"),
                422,
                42201);
        String validSchema = schemaBody(thing(A));
        for (String notAType : new String[] {"{}", "[\"AVRO\"]", "42"}) {
            expectError(
                    http.post(
                            "/subjects/" + subject + "/versions",
                            validSchema.replaceFirst("^\\{", "{\"schemaType\":" + notAType + ",")),
                    422,
                    42201);
        }
        expectError(http.post("/subjects/" + subject + "/versions", "{not json"), 400, 400);
        String huge =
                schemaBody(thing(A).replace("\"fields\"", "\"doc\":\"" + "x".repeat(1024 * 1024) + "\",\"fields\""));
        expectError(http.post("/subjects/" + subject + "/versions", huge), 413, 413);
        expectError(http.get("/subjects/" + subject + "/versions"), 404, 40401);
    }

    /**
     * Each level against the changes that tell the levels apart: a field added with and without a default, a field
     * removed, and a history of three versions where only the transitive levels see the first.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // level,              add+default, add no default, remove field, transitive history
        "NONE,                 true,        true,           true,         true",
        "BACKWARD,             true,        false,          true,         true",
        "BACKWARD_TRANSITIVE,  true,        false,          true,         false",
        "FORWARD,              true,        true,           false,        true",
        "FORWARD_TRANSITIVE,   true,        true,           false,        false",
        "FULL,                 true,        false,          false,        true",
        "FULL_TRANSITIVE,      true,        false,          false,        false"
    })
    void judgesEveryCompatibilityLevel(
            String level, boolean addWithDefault, boolean addWithoutDefault, boolean removeField, boolean history) {
        String subject = subject();
        assertThat(json(http.put("/config/" + subject, json(Map.of("compatibility", level))))
                        .get("compatibility")
                        .asString())
                .isEqualTo(level);
        register(subject, thing(A));
        assertThat(compatible(subject, thing(A + "," + B_WITH_DEFAULT)))
                .as("add with default")
                .isEqualTo(addWithDefault);
        assertThat(compatible(subject, thing(A + "," + B)))
                .as("add without default")
                .isEqualTo(addWithoutDefault);
        assertThat(compatible(subject, thing(B_WITH_DEFAULT)))
                .as("remove a field without default")
                .isEqualTo(removeField);

        // A history only the transitive levels see through, aimed at the level's direction.
        String historySubject = subject();
        http.put("/config/" + historySubject, "{\"compatibility\":\"NONE\"}");
        boolean backwardLevel = level.startsWith("BACKWARD") || level.startsWith("FULL");
        if (backwardLevel || level.equals("NONE")) {
            // v1 {a}, v2 {a, b=0}: v3 {a, b} reads v2 but not v1, which has no b.
            register(historySubject, thing(A));
            register(historySubject, thing(A + "," + B_WITH_DEFAULT));
            http.put("/config/" + historySubject, json(Map.of("compatibility", level)));
            assertThat(compatible(historySubject, thing(A + "," + B)))
                    .as("history")
                    .isEqualTo(history);
        } else {
            // v1 {a, b}, v2 {a, b=0}: v3 {a} is read by v2 (b defaults) but not by v1.
            register(historySubject, thing(A + "," + B));
            register(historySubject, thing(A + "," + B_WITH_DEFAULT));
            http.put("/config/" + historySubject, json(Map.of("compatibility", level)));
            assertThat(compatible(historySubject, thing(A))).as("history").isEqualTo(history);
        }
    }

    private boolean compatible(String subject, String schema) {
        HttpResponse<String> check =
                http.post("/compatibility/subjects/" + subject + "/versions?verbose=true", schemaBody(schema));
        assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
        HttpResponse<String> registration = http.post("/subjects/" + subject + "/versions", schemaBody(schema));
        boolean compatible = json(check).get("is_compatible").asBoolean();
        assertThat(registration.statusCode())
                .as("registration agrees with the check: " + registration.body())
                .isEqualTo(compatible ? 200 : 409);
        if (compatible) {
            http.delete("/subjects/" + subject + "/versions/latest");
        } else {
            assertThat(json(check).get("messages")).isNotEmpty();
            assertThat(errorCode(registration)).isEqualTo(409);
        }
        return compatible;
    }

    @Test
    void rejectsBreakingChangesNamingTheField() {
        String subject = subject();
        register(subject, thing(A + ",{\"name\":\"count\",\"type\":\"long\"}"));

        HttpResponse<String> renamed = http.post(
                "/subjects/" + subject + "/versions",
                schemaBody(thing("{\"name\":\"label\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"long\"}")));
        expectError(renamed, 409, 409);
        assertThat(json(renamed).get("message").asString()).contains("'label'");
        String renamedWithAlias = thing("{\"name\":\"label\",\"type\":\"string\",\"aliases\":[\"a\"]},"
                + "{\"name\":\"count\",\"type\":\"long\"}");
        assertThat(register(subject, renamedWithAlias))
                .as("a rename with an alias reads old data")
                .isPositive();

        HttpResponse<String> narrowed = http.post(
                "/subjects/" + subject + "/versions",
                schemaBody(thing("{\"name\":\"label\",\"type\":\"string\",\"aliases\":[\"a\"]},"
                        + "{\"name\":\"count\",\"type\":\"int\"}")));
        expectError(narrowed, 409, 409);
        assertThat(json(narrowed).get("message").asString()).contains("TYPE_MISMATCH", "'count'");

        // Removing a field breaks the consumers still on the old schema: FORWARD and FULL see it.
        String full = subject();
        http.put("/config/" + full, "{\"compatibility\":\"FULL\"}");
        register(full, thing(A + ",{\"name\":\"count\",\"type\":\"long\"}"));
        HttpResponse<String> removed = http.post("/subjects/" + full + "/versions", schemaBody(thing(A)));
        expectError(removed, 409, 409);
        assertThat(json(removed).get("message").asString()).contains("'count'");

        HttpResponse<String> verbose = http.post(
                "/compatibility/subjects/" + full + "/versions/1?verbose=true",
                schemaBody(thing(A + ",{\"name\":\"count\",\"type\":\"int\"}")));
        assertThat(json(verbose).get("is_compatible").asBoolean()).isFalse();
        assertThat(json(verbose).get("messages").get(0).asString()).contains("count");
        expectError(http.post("/compatibility/subjects/" + full + "/versions/9", schemaBody(thing(A))), 404, 40402);
        HttpResponse<String> againstLatest = http.post(
                "/compatibility/subjects/" + full + "/versions/latest",
                schemaBody(thing(A + ",{\"name\":\"count\",\"type\":\"long\"},"
                        + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}")));
        assertThat(json(againstLatest).get("is_compatible").asBoolean()).isTrue();
        assertThat(json(againstLatest).has("messages"))
                .as("reasons only when verbose")
                .isFalse();
    }

    @Test
    void softDeletesVersionsAndSubjectsButKeepsIds() {
        String subject = subject();
        int first = register(subject, thing(A));
        register(subject, thing(A + "," + B_WITH_DEFAULT));

        assertThat(json(http.delete("/subjects/" + subject + "/versions/1")).asInt())
                .isEqualTo(1);
        assertThat(json(http.get("/subjects/" + subject + "/versions")).toString())
                .isEqualTo("[2]");
        assertThat(json(http.get("/subjects/" + subject + "/versions?deleted=true"))
                        .toString())
                .isEqualTo("[1,2]");
        expectError(http.get("/subjects/" + subject + "/versions/1"), 404, 40402);
        assertThat(http.get("/subjects/" + subject + "/versions/1?deleted=true").statusCode())
                .isEqualTo(200);
        assertThat(http.get("/schemas/ids/" + first).statusCode())
                .as("records written with it stay readable")
                .isEqualTo(200);

        expectError(http.delete("/subjects/" + subject + "?permanent=true"), 422, 42205);
        assertThat(json(http.delete("/subjects/" + subject)).toString()).isEqualTo("[2]");
        expectError(http.get("/subjects/" + subject + "/versions"), 404, 40401);
        expectError(http.delete("/subjects/" + subject), 404, 40401);
        assertThat(JsonNodes.texts(json(http.get("/subjects")))).doesNotContain(subject);
        assertThat(JsonNodes.texts(json(http.get("/subjects?deleted=true")))).contains(subject);

        assertThat(register(subject, thing(A)))
                .as("re-registered after deletion, same id")
                .isEqualTo(first);
        assertThat(json(http.get("/subjects/" + subject + "/versions")).toString())
                .isEqualTo("[3]");
    }

    @Test
    void keepsGlobalAndSubjectCompatibilitySettings() {
        assertThat(json(http.get("/config")).get("compatibilityLevel").asString())
                .isEqualTo("BACKWARD");
        expectError(http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        expectError(http.put("/config", "{}"), 422, 42203);
        String subject = subject();
        expectError(http.get("/config/" + subject), 404, 40408);
        assertThat(json(http.get("/config/" + subject + "?defaultToGlobal=true"))
                        .get("compatibilityLevel")
                        .asString())
                .isEqualTo("BACKWARD");
        http.put("/config/" + subject, "{\"compatibility\":\"forward_transitive\"}");
        assertThat(json(http.get("/config/" + subject))
                        .get("compatibilityLevel")
                        .asString())
                .isEqualTo("FORWARD_TRANSITIVE");
        assertThat(json(http.delete("/config/" + subject))
                        .get("compatibilityLevel")
                        .asString())
                .isEqualTo("FORWARD_TRANSITIVE");
        expectError(http.get("/config/" + subject), 404, 40408);
    }

    @Test
    void aRestartKeepsEveryIdVersionAndSetting() {
        String subject = subject();
        int v1 = register(subject, thing(A));
        int v2 = register(subject, thing(A + "," + B_WITH_DEFAULT));
        http.put("/config/" + subject, "{\"compatibility\":\"FULL_TRANSITIVE\"}");
        http.delete("/subjects/" + subject + "/versions/1");
        String before = json(http.get("/subjects?deleted=true")).toString();

        server.close();
        server = startServer();
        http = new TestHttp(server.url());

        assertThat(json(http.get("/subjects?deleted=true")).toString()).isEqualTo(before);
        assertThat(json(http.get("/subjects/" + subject + "/versions")).toString())
                .isEqualTo("[2]");
        assertThat(json(http.get("/subjects/" + subject + "/versions/2"))
                        .get("id")
                        .asInt())
                .isEqualTo(v2);
        assertThat(json(http.get("/schemas/ids/" + v1)).get("schema").asString())
                .contains("\"a\"");
        assertThat(json(http.get("/config/" + subject))
                        .get("compatibilityLevel")
                        .asString())
                .isEqualTo("FULL_TRANSITIVE");
        int v3 =
                register(subject, thing(A + "," + B_WITH_DEFAULT + ",{\"name\":\"c\",\"type\":\"int\",\"default\":1}"));
        assertThat(v3).as("a new schema gets a new id, never a reused one").isGreaterThan(v2);
        assertThat(json(http.get("/subjects/" + subject + "/versions/latest"))
                        .get("version")
                        .asInt())
                .isEqualTo(3);
    }

    /** The body Confluent expects for a schema: the schema's JSON as a string. */
    private static String schemaBody(String schema) {
        return json(Map.of("schema", schema));
    }

    private static int errorCode(HttpResponse<String> answer) {
        return json(answer).path("error_code").asInt();
    }

    private static void expectError(HttpResponse<String> answer, int status, int errorCode) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(errorCode(answer)).as(answer.body()).isEqualTo(errorCode);
        assertThat(json(answer).get("message").asString()).isNotBlank();
    }

    /** Helpers on JSON arrays. */
    static final class JsonNodes {
        static List<String> texts(tools.jackson.databind.JsonNode array) {
            return StreamSupport.stream(array.spliterator(), false)
                    .map(tools.jackson.databind.JsonNode::asText)
                    .toList();
        }
    }
}
