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
import java.util.ArrayList;
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
    private final String instance;
    private final int port;
    private final Path log;
    private final Process process;
    private final Tokens tokens;

    private ServiceProcess(ServiceName name, String instance, int port, Path log, Process process, Tokens tokens) {
        this.name = name;
        this.instance = instance;
        this.port = port;
        this.log = log;
        this.process = process;
        this.tokens = tokens;
    }

    /** @param tokens the stack's, for the operator's token that reading the service's process id takes */
    public static ServiceProcess start(
            ServiceName name, int port, Map<String, String> stackEnvironment, Path logDirectory, Tokens tokens)
            throws IOException {
        return start(name, name.displayName(), port, stackEnvironment, logDirectory, tokens, ServiceJvm.STANDARD);
    }

    /**
     * One of several instances of a service: {@code instance} (such as {@code order-service-2}) names its log, its
     * pid file and its process, so that each can be killed and found on its own.
     */
    public static ServiceProcess start(
            ServiceName name,
            String instance,
            int port,
            Map<String, String> stackEnvironment,
            Path logDirectory,
            Tokens tokens,
            ServiceJvm jvm)
            throws IOException {
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(instance + ".log");
        Path pidFile = logDirectory.resolve(instance + ".pid");
        PidFile.stopLeftover(pidFile, instance, JavaProcess.roleMark(instance));
        Map<String, String> env = new HashMap<>(stackEnvironment);
        env.put("PORT", String.valueOf(port));
        List<String> jvmOptions = new ArrayList<>(name.jvmOptions());
        jvmOptions.addAll(jvm.extraOptions());
        Process process =
                JavaProcess.start(instance, name.mainClass(), jvmOptions, jvm.classPath(), List.of(), env, log);
        PidFile.write(pidFile, process.pid());
        return new ServiceProcess(name, instance, port, log, process, tokens);
    }

    public static Path pidFile(Path logDirectory, ServiceName name) {
        return logDirectory.resolve(name.displayName() + ".pid");
    }

    public ServiceName name() {
        return name;
    }

    /** The instance's name: the service's own, or the one it was started under beside others. */
    public String instance() {
        return instance;
    }

    public boolean isAlive() {
        return process.isAlive();
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
                throw new IllegalStateException(
                        instance + " exited with " + process.exitValue() + " while starting; its log: " + log);
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
        throw new IllegalStateException(instance + " was not healthy within " + timeout + "; its log: " + log);
    }

    /** A port taken by another process in the meantime would otherwise pass for this service being up. */
    private void requireAnsweredByThisProcess() throws IOException, InterruptedException {
        HttpRequest info = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/info"))
                .timeout(Duration.ofSeconds(2))
                .header("Authorization", "Bearer " + tokens.operator())
                .build();
        String body = HTTP.send(info, HttpResponse.BodyHandlers.ofString()).body();
        if (pidIn(body) != process.pid()) {
            throw new IllegalStateException("port " + port + " is answered by another process than " + instance
                    + " (pid " + process.pid() + "): " + body + "; its log: " + log);
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

    /**
     * SIGSTOP: the process stops where it is, holding its connections, sessions and locks, as in a long garbage
     * collection or a stalled virtual machine; {@link #resume()} lets it go on as if nothing had happened.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process.isAlive()) {
            Signals.send(process.pid(), name, instance);
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
