package io.orderflow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealmTest {

    private static final String CLI =
            "{\"clientId\":\"orderflow-cli\",\"secret\":\"s\",\"grantTypes\":[\"client_credentials\"],\"roles\":[\"operator\"]}";

    @TempDir
    Path directory;

    @Test
    void readsUsersAndClientsAndWritesThemBack() {
        Realm realm = Realm.parse(
                "{\"users\":[{\"username\":\"alice\",\"password\":\"pw\",\"roles\":[\"customer\"]}],"
                        + "\"clients\":[" + CLI + ",{\"clientId\":\"orderflow-login\","
                        + "\"grantTypes\":[\"authorization_code\"],\"redirectUris\":[\"http://127.0.0.1/callback\"],"
                        + "\"requireProofKey\":true}]}",
                "test");

        assertThat(realm.user("alice").orElseThrow().roles()).containsExactly("customer");
        assertThat(realm.client("orderflow-cli").orElseThrow().isPublic()).isFalse();
        Realm.Client login = realm.client("orderflow-login").orElseThrow();
        assertThat(login.isPublic()).isTrue();
        assertThat(login.requireProofKey()).isTrue();
        assertThat(login.roles()).isEmpty();
        assertThat(Realm.parse(realm.toJson(), "written")).isEqualTo(realm);
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path missing = directory.resolve("realm.json");

        assertThatThrownBy(() -> Realm.load(missing))
                .isInstanceOf(InvalidRealmException.class)
                .hasMessage("realm file " + missing + " does not exist");
    }

    @Test
    void refusesAFileThatIsNotJsonWithItsPosition() throws Exception {
        Path file = Files.writeString(directory.resolve("realm.json"), "{\"users\": [\n  {\"username\": alice}]}");

        assertThatThrownBy(() -> Realm.load(file))
                .isInstanceOf(InvalidRealmException.class)
                .hasMessageStartingWith("realm file " + file + " is not a valid realm: ")
                .hasMessageContaining("(line 2, column")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void refusesAnUnknownFieldSuchAsATypo() {
        assertThatThrownBy(() -> Realm.parse("{\"users\":[{\"username\":\"alice\",\"pasword\":\"pw\"}]}", "typo.json"))
                .isInstanceOf(InvalidRealmException.class)
                .hasMessageContaining("pasword")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void refusesAnEmptyRealm() {
        assertThatThrownBy(() -> Realm.parse("{}", "empty.json"))
                .hasMessage("realm file empty.json: no users and no clients");
    }

    @Test
    void refusesUsersThatCannotLogIn() {
        assertThatThrownBy(() -> realmWithUsers("{\"username\":\"alice\",\"roles\":[\"customer\"]}"))
                .hasMessage("realm file r.json: user alice has no password");
        assertThatThrownBy(() -> realmWithUsers(
                        "{\"username\":\"alice\",\"password\":\"a\"}", "{\"username\":\"alice\",\"password\":\"b\"}"))
                .hasMessage("realm file r.json: user alice appears twice");
        assertThatThrownBy(() -> realmWithUsers("{\"username\":\"al ice\",\"password\":\"a\"}"))
                .hasMessageContaining("without a valid username");
        assertThatThrownBy(() -> realmWithUsers("{\"username\":\"alice\",\"password\":\"a\",\"roles\":[\"ROLE_X\"]}"))
                .hasMessageContaining("user alice has an invalid role ROLE_X");
    }

    @Test
    void refusesClientsThatCouldNotWork() {
        assertThatThrownBy(
                        () -> realmWithClients("{\"clientId\":\"c\",\"secret\":\"s\",\"grantTypes\":[\"password\"]}"))
                .hasMessageStartingWith("realm file r.json: client c has an unknown grant type password");
        assertThatThrownBy(() -> realmWithClients("{\"clientId\":\"c\",\"secret\":\"s\"}"))
                .hasMessageStartingWith("realm file r.json: client c has no grantTypes");
        assertThatThrownBy(() -> realmWithClients("{\"clientId\":\"c\",\"grantTypes\":[\"client_credentials\"]}"))
                .hasMessage("realm file r.json: client c is public (no secret): its only grant type can be"
                        + " authorization_code");
        assertThatThrownBy(() -> realmWithClients("{\"clientId\":\"c\",\"grantTypes\":[\"authorization_code\"],"
                        + "\"redirectUris\":[\"http://127.0.0.1/cb\"]}"))
                .hasMessage("realm file r.json: client c is public (no secret): it needs requireProofKey true");
        assertThatThrownBy(() -> realmWithClients(
                        "{\"clientId\":\"c\",\"secret\":\"s\",\"grantTypes\":[\"authorization_code\"]}"))
                .hasMessage("realm file r.json: client c uses authorization_code but has no redirectUris");
        assertThatThrownBy(() -> realmWithClients(CLI, CLI))
                .hasMessage("realm file r.json: client orderflow-cli appears twice");
    }

    @Test
    void refusesAClientWhoseTokensWouldPassForACustomer() {
        assertThatThrownBy(() -> Realm.parse(
                        "{\"users\":[{\"username\":\"alice\",\"password\":\"a\",\"roles\":[\"customer\"]}],"
                                + "\"clients\":[{\"clientId\":\"alice\",\"secret\":\"s\","
                                + "\"grantTypes\":[\"client_credentials\"]}]}",
                        "r.json"))
                .hasMessage(
                        "realm file r.json: client alice has the name of a user: its tokens would act as that user");
        assertThatThrownBy(() -> realmWithClients("{\"clientId\":\"c\",\"secret\":\"s\","
                        + "\"grantTypes\":[\"client_credentials\"],\"roles\":[\"customer\"]}"))
                .hasMessageStartingWith("realm file r.json: client c has the role customer");
    }

    private static Realm realmWithUsers(String... users) {
        return Realm.parse("{\"users\":[" + String.join(",", List.of(users)) + "]}", "r.json");
    }

    private static Realm realmWithClients(String... clients) {
        return Realm.parse("{\"clients\":[" + String.join(",", List.of(clients)) + "]}", "r.json");
    }
}
