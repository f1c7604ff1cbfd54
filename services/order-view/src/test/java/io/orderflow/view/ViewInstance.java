package io.orderflow.view;

import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.JavaProcess;
import io.orderflow.devstack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One order-view instance in its own JVM, on its own port and state directory: it can be killed outright. */
final class ViewInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String applicationId;
    private final int port;
    private final Path stateDir;
    private final Path log;
    private final List<String> extraArgs;
    private Process process;

    ViewInstance(String applicationId, int port, Path stateDir, String... extraArgs) {
        this.applicationId = applicationId;
        this.port = port;
        this.stateDir = stateDir;
        this.log = stateDir.resolveSibling(stateDir.getFileName() + ".log");
        this.extraArgs = List.of(extraArgs);
    }

    ViewInstance start() {
        List<String> args = new ArrayList<>();
        TestStack.get().springBootProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
        args.add("--server.port=" + port);
        args.add("--orderflow.view.application-id=" + applicationId);
        args.add("--orderflow.view.state-dir=" + stateDir);
        args.addAll(extraArgs);
        process = JavaProcess.start("order-view-" + port, OrderViewApplication.class.getName(),
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"), args, Map.of(), log);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("order-view exited with " + process.exitValue() + "; see " + log);
            }
            return get("/actuator/health").statusCode() == 200;
        });
        return this;
    }

    /** Kills the JVM without warning: no commit, no leaving the group, whatever was in flight is lost. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    Path stateDir() {
        return stateDir;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).GET(),
                pathAndQuery);
    }

    HttpResponse<String> post(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()), pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String pathAndQuery) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("order-view on " + port + " did not answer " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
