package io.orderflow.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from binaries on Maven Central, its data kept under a directory so that a restart keeps
 * every row. Commits are durable ({@code synchronous_commit=on}, {@code fsync=on}) as in production: the stack must
 * not look faster than the real thing.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path directory, int port) {
        UnitTestGuard.refuseInUnitTests("PostgreSQL");
        try {
            Files.createDirectories(directory);
            PidFile.stopLeftoverPostgres(directory.resolve("postmaster.pid"));
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // DevStack stops it, after the services that use it; a hook of its own would race them.
                    .setRegisterShutdownHook(false)
                    .setPort(port == 0 ? Ports.free() : port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("timezone", "UTC")
                    // PostgreSQL's own log in <data>/log: slow statements, lock waits, checkpoints, autovacuum.
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_min_duration_statement", "250")
                    .setServerConfig("log_lock_waits", "on")
                    .setServerConfig("deadlock_timeout", "200ms")
                    .setServerConfig("log_checkpoints", "on")
                    .setServerConfig("log_autovacuum_min_duration", "250")
                    .start();
            EmbeddedDatabase database = new EmbeddedDatabase(postgres);
            log.info("PostgreSQL ready at {}", database.jdbcUrl());
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + directory, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }
}
