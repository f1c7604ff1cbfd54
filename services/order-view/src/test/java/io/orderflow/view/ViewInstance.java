package io.orderflow.view;

import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.JavaProcess;
import io.orderflow.devstack.TestHttp;
import io.orderflow.devstack.TestStack;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One order-view instance in its own JVM, on its own port and state directory: it can be killed outright. */
final class ViewInstance implements AutoCloseable {

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
        process = JavaProcess.start(
                "order-view-" + port,
                OrderViewApplication.class.getName(),
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"),
                args,
                Map.of(),
                log);
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
        return http().get(pathAndQuery);
    }

    /** A GET with this access token instead of the operator's, and {@code headers} as name, value, .... */
    HttpResponse<String> get(String pathAndQuery, String token, String... headers) {
        TestHttp caller = new TestHttp("http://127.0.0.1:" + port, Duration.ofSeconds(60)).as(() -> token);
        HttpRequest.Builder request = caller.request(pathAndQuery).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return caller.send(request);
    }

    HttpResponse<String> post(String pathAndQuery) {
        return http().post(pathAndQuery, null);
    }

    /** A query that waits for the view to catch up may take a while on a loaded machine. */
    private TestHttp http() {
        return new TestHttp("http://127.0.0.1:" + port, Duration.ofSeconds(60))
                .as(TestStack.get().tokens()::operator);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
