package io.orderflow.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

    private volatile EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    /** How the server goes down in {@link #stopServer(Shutdown)}. */
    public enum Shutdown {
        /** Fast shutdown: sessions are ended, transactions rolled back, a checkpoint is written. */
        CLEAN("INT"),
        /**
         * Immediate shutdown (SIGQUIT): every process quits at once, without a checkpoint, as after a power cut; the
         * next start replays the write-ahead log.
         */
        CRASH("QUIT");

        private final String signal;

        Shutdown(String signal) {
            this.signal = signal;
        }
    }

    /**
     * Stops the server, leaving its data; {@link #startServer()} starts it again on the same port with the same
     * settings. For fault tests: the clients see their connections die and the port refuse until then. The server
     * is signalled directly, as {@code pg_ctl} would signal it ({@code pg_ctl} refuses to run as root).
     */
    public synchronized void stopServer(Shutdown how) {
        long pid = java.nio.file.Files.exists(directory.resolve("postmaster.pid")) ? postmasterPid() : -1;
        if (how == Shutdown.CRASH && pid > 0) {
            Signals.send(pid, how.signal, "PostgreSQL");
            awaitExit(pid);
        }
        // The library stops a running server cleanly (pg_ctl stop -m fast, giving up silently after 5 s), and its
        // handle holds a lock on the data directory that the next start needs: closed either way. After a crash its
        // pg_ctl finds nothing to stop and logs that at ERROR (a chaos run silences it).
        try {
            postgres.close();
        } catch (IOException | RuntimeException alreadyStopped) {
            log.debug("closing the stopped server's handle: {}", alreadyStopped.toString());
        }
        // A shutdown checkpoint on a busy machine can outlast the library's patience: the port and the data directory
        // are free only once the server is gone.
        awaitExit(pid);
    }

    private static void awaitExit(long pid) {
        ProcessHandle postmaster = pid < 0 ? null : ProcessHandle.of(pid).orElse(null);
        if (postmaster == null) {
            return;
        }
        try {
            postmaster.onExit().get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PostgreSQL stopped", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("PostgreSQL (pid " + pid + ") did not stop within 120 s", e);
        }
    }

    /**
     * Starts the server again after {@link #stopServer(Shutdown)}, on the same data, port and settings; after a
     * crash it replays its write-ahead log first.
     */
    public synchronized void startServer() {
        int port = port();
        postgres = launch(directory, port);
    }

    /** The first line of {@code postmaster.pid}: the server's process id. */
    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(directory.resolve("postmaster.pid"))
                    .get(0)
                    .trim());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL is not running in " + directory, e);
        }
    }

    public static EmbeddedDatabase start(Path directory, int port) {
        UnitTestGuard.refuseInUnitTests("PostgreSQL");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        PidFile.stopLeftoverPostgres(directory.resolve("postmaster.pid"));
        EmbeddedDatabase database = new EmbeddedDatabase(launch(directory, port == 0 ? Ports.free() : port), directory);
        log.info("PostgreSQL ready at {}", database.jdbcUrl());
        return database;
    }

    /** A server on the data in {@code directory}, made there first if there is none yet. */
    private static EmbeddedPostgres launch(Path directory, int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // DevStack stops it, after the services that use it; a hook of its own would race them.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
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
