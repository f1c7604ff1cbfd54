package io.orderflow.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One service running in its own JVM, as in production: it can be stopped or killed on its own. */
public final class ServiceProcess {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceName name;
    private final int port;
    private final Path log;
    private final Process process;
    private final Tokens tokens;

    private ServiceProcess(ServiceName name, int port, Path log, Process process, Tokens tokens) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        this.tokens = tokens;
    }

    /** @param tokens the stack's, for the operator's token that reading the service's process id takes */
    public static ServiceProcess start(
            ServiceName name, int port, Map<String, String> stackEnvironment, Path logDirectory, Tokens tokens)
            throws IOException {
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name.displayName() + ".log");
        Path pidFile = pidFile(logDirectory, name);
        PidFile.stopLeftover(pidFile, name.displayName(), JavaProcess.roleMark(name.displayName()));
        Map<String, String> env = new HashMap<>(stackEnvironment);
        env.put("PORT", String.valueOf(port));
        Process process =
                JavaProcess.start(name.displayName(), name.mainClass(), name.jvmOptions(), List.of(), env, log);
        PidFile.write(pidFile, process.pid());
        return new ServiceProcess(name, port, log, process, tokens);
    }

    public static Path pidFile(Path logDirectory, ServiceName name) {
        return logDirectory.resolve(name.displayName() + ".pid");
    }

    public ServiceName name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the service reports UP on its health endpoint. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name.displayName() + " exited with " + process.exitValue()
                        + " while starting; its log: " + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    requireAnsweredByThisProcess();
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(250, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(
                name.displayName() + " was not healthy within " + timeout + "; its log: " + log);
    }

    /** A port taken by another process in the meantime would otherwise pass for this service being up. */
    private void requireAnsweredByThisProcess() throws IOException, InterruptedException {
        HttpRequest info = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/info"))
                .timeout(Duration.ofSeconds(2))
                .header("Authorization", "Bearer " + tokens.operator())
                .build();
        String body = HTTP.send(info, HttpResponse.BodyHandlers.ofString()).body();
        if (pidIn(body) != process.pid()) {
            throw new IllegalStateException("port " + port + " is answered by another process than "
                    + name.displayName() + " (pid " + process.pid() + "): " + body + "; its log: " + log);
        }
    }

    /** The pid Spring Boot's process info contributor puts in {@code /actuator/info}; -1 when there is none. */
    private static long pidIn(String info) {
        try {
            JsonNode pid = JSON.readTree(info).path("process").path("pid");
            return pid.canConvertToLong() ? pid.asLong() : -1;
        } catch (JacksonException e) {
            return -1;
        }
    }

    /** SIGKILL: no shutdown at all, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    /** SIGTERM, and the service's graceful shutdown; SIGKILL only if it hangs. */
    public boolean stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return false;
    }
}
