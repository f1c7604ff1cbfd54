package io.orderflow.devstack;

import static io.orderflow.devstack.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.registry.CompatibilityLevel;
import io.orderflow.registry.SchemaRegistryServer;
import java.util.List;
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
    private static RegistryHttp http;

    @BeforeAll
    static void startRegistry() {
        server = startServer();
        http = new RegistryHttp(server.url());
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    private static SchemaRegistryServer startServer() {
        return SchemaRegistryServer.start(TestStack.get().bootstrapServers(), 0,
                new SchemaRegistryServer.Settings(TOPIC, (short) 1, CompatibilityLevel.BACKWARD));
    }

    private static String subject() {
        return "test-" + UUID.randomUUID();
    }

    /** A record schema named Thing with the given fields. */
    private static String thing(String fields) {
        return "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"io.orderflow.test\",\"fields\":[" + fields + "]}";
    }

    private static final String A = "{\"name\":\"a\",\"type\":\"string\"}";
    private static final String B_WITH_DEFAULT = "{\"name\":\"b\",\"type\":\"int\",\"default\":0}";
    private static final String B = "{\"name\":\"b\",\"type\":\"int\"}";

    private int register(String subject, String schema) {
        RegistryHttp.Answer answer = http.post("/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body().get("id").asInt();
    }

    @Test
    void registersOnceAndServesBySubjectVersionAndId() {
        String subject = subject();
        int id = register(subject, thing(A));
        assertThat(register(subject, thing(A))).as("the same schema again").isEqualTo(id);
        assertThat(register(subject, "  " + thing(A).replace(",", " , "))).as("whitespace does not matter")
                .isEqualTo(id);
        String other = subject();
        assertThat(register(other, thing(A))).as("ids are global per schema").isEqualTo(id);
        int second = register(subject, thing(A + "," + B_WITH_DEFAULT));
        assertThat(second).isGreaterThan(id);

        assertThat(JsonNodes.texts(http.get("/subjects").body())).contains(subject, other);
        assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1,2]");
        RegistryHttp.Answer latest = http.get("/subjects/" + subject + "/versions/latest");
        assertThat(latest.body().get("version").asInt()).isEqualTo(2);
        assertThat(latest.body().get("id").asInt()).isEqualTo(second);
        assertThat(latest.body().get("subject").asString()).isEqualTo(subject);
        assertThat(http.get("/subjects/" + subject + "/versions/1").body().get("id").asInt()).isEqualTo(id);
        assertThat(http.get("/subjects/" + subject + "/versions/1/schema").body().get("name").asString())
                .isEqualTo("Thing");
        assertThat(http.get("/schemas/ids/" + id).body().get("schema").asString()).contains("\"a\"");
        assertThat(http.get("/schemas/ids/" + id + "/schema").body().get("type").asString()).isEqualTo("record");
        assertThat(http.get("/schemas/ids/" + id + "/versions").body().toString())
                .contains("{\"subject\":\"" + subject + "\",\"version\":1}", "{\"subject\":\"" + other + "\",\"version\":1}");

        RegistryHttp.Answer lookup = http.post("/subjects/" + subject, schemaBody(thing(A)));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.body().get("version").asInt()).isEqualTo(1);
        assertThat(lookup.body().get("id").asInt()).isEqualTo(id);
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
        expectError(http.post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"nonsense\"}")), 422,
                42201);
        expectError(http.post("/subjects/" + subject + "/versions",
                schemaBody(thing("{\"name\":\"n\",\"type\":\"int\",\"default\":\"text\"}"))), 422, 42201);
        expectError(http.post("/subjects/" + subject + "/versions", schemaBody("")), 422, 42201);
        expectError(http.post("/subjects/" + subject + "/versions", "{\"schema\": 42}"), 422, 42201);
        expectError(http.post("/subjects/" + subject + "/versions",
                "{\"schema\":\"" + "x".repeat(10) + "\",\"schemaType\":\"PROTOBUF\"}"), 422, 42201);
        expectError(http.post("/subjects/" + subject + "/versions", "{not json"), 400, 400);
        String huge = schemaBody(thing(A).replace("\"fields\"", "\"doc\":\"" + "x".repeat(1024 * 1024) + "\",\"fields\""));
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
            "FULL_TRANSITIVE,      true,        false,          false,        false"})
    void judgesEveryCompatibilityLevel(String level, boolean addWithDefault, boolean addWithoutDefault,
                                       boolean removeField, boolean history) {
        String subject = subject();
        assertThat(http.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}").body()
                .get("compatibility").asString()).isEqualTo(level);
        register(subject, thing(A));
        assertThat(compatible(subject, thing(A + "," + B_WITH_DEFAULT))).as("add with default").isEqualTo(addWithDefault);
        assertThat(compatible(subject, thing(A + "," + B))).as("add without default").isEqualTo(addWithoutDefault);
        assertThat(compatible(subject, thing(B_WITH_DEFAULT))).as("remove a field without default")
                .isEqualTo(removeField);

        // A history only the transitive levels see through, aimed at the level's direction.
        String historySubject = subject();
        http.put("/config/" + historySubject, "{\"compatibility\":\"NONE\"}");
        boolean backwardLevel = level.startsWith("BACKWARD") || level.startsWith("FULL");
        if (backwardLevel || level.equals("NONE")) {
            // v1 {a}, v2 {a, b=0}: v3 {a, b} reads v2 but not v1, which has no b.
            register(historySubject, thing(A));
            register(historySubject, thing(A + "," + B_WITH_DEFAULT));
            http.put("/config/" + historySubject, "{\"compatibility\":\"" + level + "\"}");
            assertThat(compatible(historySubject, thing(A + "," + B))).as("history").isEqualTo(history);
        } else {
            // v1 {a, b}, v2 {a, b=0}: v3 {a} is read by v2 (b defaults) but not by v1.
            register(historySubject, thing(A + "," + B));
            register(historySubject, thing(A + "," + B_WITH_DEFAULT));
            http.put("/config/" + historySubject, "{\"compatibility\":\"" + level + "\"}");
            assertThat(compatible(historySubject, thing(A))).as("history").isEqualTo(history);
        }
    }

    private boolean compatible(String subject, String schema) {
        RegistryHttp.Answer check = http.post("/compatibility/subjects/" + subject + "/versions?verbose=true",
                schemaBody(schema));
        assertThat(check.status()).as(check.body().toString()).isEqualTo(200);
        RegistryHttp.Answer registration = http.post("/subjects/" + subject + "/versions", schemaBody(schema));
        boolean compatible = check.body().get("is_compatible").asBoolean();
        assertThat(registration.status()).as("registration agrees with the check: " + registration.body())
                .isEqualTo(compatible ? 200 : 409);
        if (compatible) {
            http.delete("/subjects/" + subject + "/versions/latest");
        } else {
            assertThat(check.body().get("messages")).isNotEmpty();
            assertThat(registration.errorCode()).isEqualTo(409);
        }
        return compatible;
    }

    @Test
    void rejectsBreakingChangesNamingTheField() {
        String subject = subject();
        register(subject, thing(A + ",{\"name\":\"count\",\"type\":\"long\"}"));

        RegistryHttp.Answer renamed = http.post("/subjects/" + subject + "/versions",
                schemaBody(thing("{\"name\":\"label\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"long\"}")));
        expectError(renamed, 409, 409);
        assertThat(renamed.body().get("message").asString()).contains("'label'");
        String renamedWithAlias = thing("{\"name\":\"label\",\"type\":\"string\",\"aliases\":[\"a\"]},"
                + "{\"name\":\"count\",\"type\":\"long\"}");
        assertThat(register(subject, renamedWithAlias)).as("a rename with an alias reads old data").isPositive();

        RegistryHttp.Answer narrowed = http.post("/subjects/" + subject + "/versions",
                schemaBody(thing("{\"name\":\"label\",\"type\":\"string\",\"aliases\":[\"a\"]},"
                        + "{\"name\":\"count\",\"type\":\"int\"}")));
        expectError(narrowed, 409, 409);
        assertThat(narrowed.body().get("message").asString()).contains("TYPE_MISMATCH", "'count'");

        // Removing a field breaks the consumers still on the old schema: FORWARD and FULL see it.
        String full = subject();
        http.put("/config/" + full, "{\"compatibility\":\"FULL\"}");
        register(full, thing(A + ",{\"name\":\"count\",\"type\":\"long\"}"));
        RegistryHttp.Answer removed = http.post("/subjects/" + full + "/versions", schemaBody(thing(A)));
        expectError(removed, 409, 409);
        assertThat(removed.body().get("message").asString()).contains("'count'");

        RegistryHttp.Answer verbose = http.post("/compatibility/subjects/" + full + "/versions/1?verbose=true",
                schemaBody(thing(A + ",{\"name\":\"count\",\"type\":\"int\"}")));
        assertThat(verbose.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.body().get("messages").get(0).asString()).contains("count");
        expectError(http.post("/compatibility/subjects/" + full + "/versions/9", schemaBody(thing(A))), 404, 40402);
        RegistryHttp.Answer againstLatest = http.post("/compatibility/subjects/" + full + "/versions/latest",
                schemaBody(thing(A + ",{\"name\":\"count\",\"type\":\"long\"},"
                        + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}")));
        assertThat(againstLatest.body().get("is_compatible").asBoolean()).isTrue();
        assertThat(againstLatest.body().has("messages")).as("reasons only when verbose").isFalse();
    }

    @Test
    void softDeletesVersionsAndSubjectsButKeepsIds() {
        String subject = subject();
        int first = register(subject, thing(A));
        register(subject, thing(A + "," + B_WITH_DEFAULT));

        assertThat(http.delete("/subjects/" + subject + "/versions/1").body().asInt()).isEqualTo(1);
        assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[2]");
        assertThat(http.get("/subjects/" + subject + "/versions?deleted=true").body().toString()).isEqualTo("[1,2]");
        expectError(http.get("/subjects/" + subject + "/versions/1"), 404, 40402);
        assertThat(http.get("/subjects/" + subject + "/versions/1?deleted=true").status()).isEqualTo(200);
        assertThat(http.get("/schemas/ids/" + first).status()).as("records written with it stay readable")
                .isEqualTo(200);

        expectError(http.delete("/subjects/" + subject + "?permanent=true"), 422, 42205);
        assertThat(http.delete("/subjects/" + subject).body().toString()).isEqualTo("[2]");
        expectError(http.get("/subjects/" + subject + "/versions"), 404, 40401);
        expectError(http.delete("/subjects/" + subject), 404, 40401);
        assertThat(JsonNodes.texts(http.get("/subjects").body())).doesNotContain(subject);
        assertThat(JsonNodes.texts(http.get("/subjects?deleted=true").body())).contains(subject);

        assertThat(register(subject, thing(A))).as("re-registered after deletion, same id").isEqualTo(first);
        assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[3]");
    }

    @Test
    void keepsGlobalAndSubjectCompatibilitySettings() {
        assertThat(http.get("/config").body().get("compatibilityLevel").asString()).isEqualTo("BACKWARD");
        expectError(http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        expectError(http.put("/config", "{}"), 422, 42203);
        String subject = subject();
        expectError(http.get("/config/" + subject), 404, 40408);
        assertThat(http.get("/config/" + subject + "?defaultToGlobal=true").body().get("compatibilityLevel").asString())
                .isEqualTo("BACKWARD");
        http.put("/config/" + subject, "{\"compatibility\":\"forward_transitive\"}");
        assertThat(http.get("/config/" + subject).body().get("compatibilityLevel").asString())
                .isEqualTo("FORWARD_TRANSITIVE");
        assertThat(http.delete("/config/" + subject).body().get("compatibilityLevel").asString())
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
        String before = http.get("/subjects?deleted=true").body().toString();

        server.close();
        server = startServer();
        http = new RegistryHttp(server.url());

        assertThat(http.get("/subjects?deleted=true").body().toString()).isEqualTo(before);
        assertThat(http.get("/subjects/" + subject + "/versions").body().toString()).isEqualTo("[2]");
        assertThat(http.get("/subjects/" + subject + "/versions/2").body().get("id").asInt()).isEqualTo(v2);
        assertThat(http.get("/schemas/ids/" + v1).body().get("schema").asString()).contains("\"a\"");
        assertThat(http.get("/config/" + subject).body().get("compatibilityLevel").asString())
                .isEqualTo("FULL_TRANSITIVE");
        int v3 = register(subject, thing(A + "," + B_WITH_DEFAULT + ",{\"name\":\"c\",\"type\":\"int\",\"default\":1}"));
        assertThat(v3).as("a new schema gets a new id, never a reused one").isGreaterThan(v2);
        assertThat(http.get("/subjects/" + subject + "/versions/latest").body().get("version").asInt()).isEqualTo(3);
    }

    private static void expectError(RegistryHttp.Answer answer, int status, int errorCode) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.errorCode()).as(answer.body().toString()).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asString()).isNotBlank();
    }

    /** Helpers on JSON arrays. */
    static final class JsonNodes {
        static List<String> texts(tools.jackson.databind.JsonNode array) {
            return StreamSupport.stream(array.spliterator(), false).map(tools.jackson.databind.JsonNode::asText)
                    .toList();
        }
    }
}
