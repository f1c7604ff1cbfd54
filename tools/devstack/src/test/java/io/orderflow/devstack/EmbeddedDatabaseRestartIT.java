package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault tests' PostgreSQL restarts: down in between, every committed row there after a crash or a clean stop. */
class EmbeddedDatabaseRestartIT {

    private static Path directory;
    private static EmbeddedDatabase database;

    @BeforeAll
    static void start() throws Exception {
        directory = Files.createTempDirectory("pg-restart");
        database = EmbeddedDatabase.start(directory.resolve("data"), 0);
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
        }
    }

    @AfterAll
    static void stop() {
        database.close();
        DevStack.wipe(directory);
    }

    @Test
    void aCrashedServerComesBackOnItsPortWithEveryCommittedRow() throws Exception {
        insert(1);
        database.stopServer(EmbeddedDatabase.Shutdown.CRASH);
        assertThatThrownBy(EmbeddedDatabaseRestartIT::connect).isInstanceOf(SQLException.class);
        database.startServer();
        assertThat(rows()).contains(1);
        assertThat(setting("fsync")).isEqualTo("on");
    }

    @Test
    void aCleanlyStoppedServerComesBackWithEveryCommittedRow() throws Exception {
        insert(2);
        database.stopServer(EmbeddedDatabase.Shutdown.CLEAN);
        assertThatThrownBy(EmbeddedDatabaseRestartIT::connect).isInstanceOf(SQLException.class);
        database.startServer();
        assertThat(rows()).contains(2);
        assertThat(setting("max_connections")).isEqualTo("300");
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    private static void insert(int id) throws SQLException {
        try (Connection db = connect();
                Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO kept VALUES (" + id + ")");
        }
    }

    private static java.util.List<Integer> rows() throws SQLException {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        try (Connection db = connect();
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT id FROM kept")) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        return ids;
    }

    private static String setting(String name) throws SQLException {
        try (Connection db = connect();
                Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("SHOW " + name)) {
            row.next();
            return row.getString(1);
        }
    }
}
