package io.orderflow.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.devstack.AuthServerProcess;
import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code orderflow token} against a stack's real auth server: the token alone on standard output. */
class TokenCommandIT {

    private static Path workDirectory;
    private static AuthServerProcess server;

    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void startAuthServer() throws Exception {
        workDirectory = Files.createTempDirectory("orderflow-token-it-");
        server = AuthServerProcess.start(DevStack.authDirectory(workDirectory), Ports.free());
    }

    @AfterAll
    static void stopAuthServer() {
        if (server != null) {
            server.close();
            DevStack.wipe(workDirectory);
        }
    }

    @Test
    void printsOnlyTheTokenOfTheOneAskedFor() {
        assertThat(run("token", "--stack", workDirectory.toString(), "--customer", "alice"))
                .as(err.toString())
                .isZero();
        String printed = out.toString(UTF_8);
        assertThat(printed).endsWith(System.lineSeparator());
        JsonNode claims = claims(printed.strip());
        assertThat(claims.path("sub").asString()).isEqualTo("alice");
        assertThat(claims.path("roles").get(0).asString()).isEqualTo("customer");

        out.reset();
        assertThat(run("token", "--stack", workDirectory.toString(), "--ops")).isZero();
        assertThat(claims(out.toString(UTF_8).strip()).path("sub").asString()).isEqualTo("orderflow-cli");
        out.reset();
        assertThat(run("token", "--stack", workDirectory.toString(), "--storefront"))
                .isZero();
        assertThat(claims(out.toString(UTF_8).strip()).path("roles").get(0).asString())
                .isEqualTo("storefront");
        out.reset();
        assertThat(run("token", "--stack", workDirectory.toString(), "--user", "ops"))
                .isZero();
        assertThat(claims(out.toString(UTF_8).strip()).path("roles").get(0).asString())
                .isEqualTo("operator");
    }

    @Test
    void anUnknownCustomerIsOneLineOnStandardError() {
        assertThat(run("token", "--stack", workDirectory.toString(), "--customer", "zed"))
                .isEqualTo(1);
        assertThat(out.toString(UTF_8)).isEmpty();
        assertThat(err.toString().strip())
                .isEqualTo("error: unknown customer zed (the stack's customers: alice, bob, carol, dave, erin)");
    }

    private int run(String... args) {
        CommandLine command = Orderflow.commandLine();
        command.setErr(new PrintWriter(err, true));
        PrintStream console = System.out;
        System.setOut(new PrintStream(out, true, UTF_8));
        try {
            return command.execute(args);
        } finally {
            System.setOut(console);
        }
    }

    private static JsonNode claims(String token) {
        return JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }
}
