package io.orderflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orderflow.devstack.DevStack;
import io.orderflow.devstack.EmbeddedDatabase;
import io.orderflow.devstack.Ports;
import io.orderflow.devstack.ServiceName;
import io.orderflow.devstack.ServiceProcess;
import io.orderflow.devstack.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A service started while its database is down, or still replaying its log after a crash, waits for it and then
 * comes up, as one restarted by an orchestrator during a database failover must. Found by {@code orderflow chaos}:
 * instances restarted during a PostgreSQL restart exited at once ("the database system is starting up").
 */
class DatabaseOutageAtStartIT {

    @Test
    void aServiceStartedWhileItsDatabaseIsDownWaitsForItAndComesUp() throws Exception {
        DevStack stack = TestStack.get();
        EmbeddedDatabase database = stack.database().orElseThrow();
        Path logs = Files.createTempDirectory("orderflow-db-outage-");
        database.stopServer(EmbeddedDatabase.Shutdown.CRASH);
        ServiceProcess shipping;
        try {
            shipping = ServiceProcess.start(
                    ServiceName.SHIPPING, Ports.free(), stack.serviceEnvironment(), logs, stack.tokens());
            // It reaches its first migration, finds no database, and waits instead of exiting.
            ServiceProcess started = shipping;
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> !started.isAlive()
                            || Files.readString(started.log()).contains("Retrying in"));
            assertThat(shipping.isAlive())
                    .as("alive while its database is down")
                    .isTrue();
        } finally {
            database.startServer();
        }
        try {
            shipping.awaitHealthy(Duration.ofSeconds(120));
            assertThat(shipping.isAlive()).isTrue();
        } finally {
            shipping.stop(Duration.ofSeconds(30));
            DevStack.wipe(logs);
        }
    }
}
