package io.orderflow.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The read side's operations. */
@Command(
        name = "views",
        mixinStandardHelpOptions = true,
        description = "Operate the read side (order-view).",
        subcommands = {ViewsCommand.Rebuild.class})
final class ViewsCommand {

    @Command(
            name = "rebuild",
            mixinStandardHelpOptions = true,
            description = "Rebuild every view from the full history of the topics: stop every order-view instance,"
                    + " reset the application (its progress and internal topics), start every instance from empty"
                    + " state, and follow it until it has caught up. Queries answer 503 meanwhile."
                    + " The topics must still hold their whole history (see docs/views.md, retention).")
    static final class Rebuild implements Callable<Integer> {

        @Option(
                names = "--url",
                description = "An order-view instance; repeat for each (default ${DEFAULT-VALUE}).",
                defaultValue = "http://127.0.0.1:${env:ORDER_VIEW_SERVICE_PORT:-8085}")
        List<String> instances;

        @Option(
                names = "--timeout",
                defaultValue = "PT10M",
                description = "How long to wait for the views to catch up (ISO-8601, default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(
                names = "--stack",
                paramLabel = "DIR",
                description = "The local stack whose auth server vouches for this command (default: the one running"
                        + " under $ORDERFLOW_HOME). Elsewhere set OAUTH2_ISSUER_URI, ORDERFLOW_CLIENT_ID and"
                        + " ORDERFLOW_CLIENT_SECRET: a client with the operator role.")
        Path stack;

        private Supplier<String> operatorToken;

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final JsonMapper json = JsonMapper.builder().build();

        @Override
        public Integer call() throws Exception {
            operatorToken = CliCredentials.operator(System.getenv(), stack);
            Console.heading("Rebuilding the views of " + instances);
            for (String instance : instances) {
                post(instance, "/views/admin/stop");
                Console.line("  stopped   " + instance);
            }
            // Every instance was stopped just now: members the group still lists are those, until their sessions end.
            JsonNode reset = post(instances.get(0), "/views/admin/reset?force=true");
            Console.line("  reset     progress forgotten: "
                    + reset.path("groupDeleted").asBoolean() + "; internal topics deleted: "
                    + reset.path("deletedTopics").size());
            long started = System.nanoTime();
            for (String instance : instances) {
                post(instance, "/views/admin/start?clean=true");
                Console.line("  started   " + instance + " with empty state");
            }
            long deadline = started + timeout.toNanos();
            long lastReported = -1;
            while (System.nanoTime() < deadline) {
                JsonNode status = get(instances.get(0), "/views/admin/status");
                long behind = status.path("behind").asLong();
                long end = status.path("end").asLong();
                boolean running = instances.stream().allMatch(this::running);
                if (behind != lastReported) {
                    Console.line(String.format(
                            "  %6.1f s   %,d of %,d offsets committed (sources and repartitions)",
                            elapsed(started), end - behind, end));
                    lastReported = behind;
                }
                if (running && behind == 0) {
                    Console.line(String.format(
                            "Rebuilt in %.1f s from %,d events.",
                            elapsed(started), status.path("sourceRecords").asLong()));
                    return 0;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            Console.line(Console.red("The views had not caught up after " + timeout + "; they keep going."));
            return 1;
        }

        private boolean running(String instance) {
            try {
                return get(instance, "/views/admin/status")
                        .path("state")
                        .asString()
                        .equals("RUNNING");
            } catch (IOException | InterruptedException | IllegalStateException e) {
                return false;
            }
        }

        private static double elapsed(long started) {
            return (System.nanoTime() - started) / 1e9;
        }

        private JsonNode post(String instance, String path) throws IOException, InterruptedException {
            return send(
                    instance,
                    HttpRequest.newBuilder(URI.create(instance + path)).POST(HttpRequest.BodyPublishers.noBody()));
        }

        private JsonNode get(String instance, String path) throws IOException, InterruptedException {
            return send(
                    instance,
                    HttpRequest.newBuilder(URI.create(instance + path)).GET());
        }

        private JsonNode send(String instance, HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response;
            try {
                response = http.send(
                        request.timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + operatorToken.get())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException("order-view at " + instance + " does not answer (is it running?)");
            }
            if (response.statusCode() == 404) {
                throw new IllegalStateException(
                        instance + " has no admin endpoints: start it with" + " VIEW_ADMIN_ENABLED=true");
            }
            JsonNode body = json.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(instance + " answered " + response.statusCode() + ": "
                        + body.path("detail").asString(response.body()));
            }
            return body;
        }
    }
}
