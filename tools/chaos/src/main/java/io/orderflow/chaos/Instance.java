package io.orderflow.chaos;

import io.orderflow.devstack.ServiceJvm;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.ServiceProcess;
import io.orderflow.devstack.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One instance of a service in a chaos run: always on the same port and with the same environment, whichever
 * process runs it now.
 */
final class Instance {

    static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final ServiceName service;
    private final String name;
    private final int port;
    private final Map<String, String> environment;
    private final Path logs;
    private final Tokens tokens;
    private final ServiceJvm jvm;
    private volatile ServiceProcess process;

    Instance(
            ServiceName service,
            String name,
            int port,
            Map<String, String> environment,
            Path logs,
            Tokens tokens,
            ServiceJvm jvm) {
        this.service = service;
        this.name = name;
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.logs = logs;
        this.tokens = tokens;
        this.jvm = jvm;
    }

    ServiceName service() {
        return service;
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts a process for the instance, without waiting for it. */
    void launch() throws IOException {
        process = ServiceProcess.start(service, name, port, environment, logs, tokens, jvm);
    }

    void awaitHealthy() throws InterruptedException {
        process.awaitHealthy(START_TIMEOUT);
    }

    boolean isAlive() {
        ServiceProcess current = process;
        return current != null && current.isAlive();
    }

    long pid() {
        return process.pid();
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    void pause() {
        process.pause();
    }

    void resume() {
        process.resume();
    }

    void stop() throws InterruptedException {
        ServiceProcess current = process;
        if (current != null) {
            try {
                current.resume();
            } catch (RuntimeException exitedMeanwhile) {
                // it can no longer be stopped, nor needs to be
            }
            current.stop(Duration.ofSeconds(30));
        }
    }
}
