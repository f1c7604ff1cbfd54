package io.orderflow.eventing.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderflow.eventing.serde.PoisonRecordException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** An outage is waited out; a failure of the record's own counts towards its dead letter. */
class OutagesTest {

    private final Outages plain = new Outages(cause -> false);

    @Test
    void aDatabaseThatIsDownShuttingDownOrOutOfResourcesIsAnOutage() {
        assertThat(plain.test(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(plain.test(new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(plain.test(new SQLException("too many connections", "53300")))
                .isTrue();
        assertThat(plain.test(new SQLTransientConnectionException("pool timed out")))
                .isTrue();
    }

    @Test
    void theLibrarysOwnOutagesAreFoundBeneathWrappers() {
        assertThat(plain.test(new RuntimeException("handler", new SchemaRegistryUnavailableException("down", null))))
                .isTrue();
        assertThat(plain.test(new IllegalStateException("wrapped", new DependencyUnavailableException("open", null))))
                .isTrue();
        assertThat(plain.test(new PartitionRefusedException("refused"))).isTrue();
    }

    @Test
    void aRecordsOwnFailureIsNot() {
        assertThat(plain.test(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(plain.test(new PoisonRecordException("unknown schema id 42")))
                .isFalse();
        assertThat(plain.test(new IllegalArgumentException("handler bug"))).isFalse();
    }

    @Test
    void aRuntimeAddsTheExceptionsItWrapsOutagesIn() {
        class TranslatedOutage extends RuntimeException {}
        Outages withRuntime = new Outages(cause -> cause instanceof TranslatedOutage);

        assertThat(plain.test(new RuntimeException(new TranslatedOutage()))).isFalse();
        assertThat(withRuntime.test(new RuntimeException(new TranslatedOutage())))
                .isTrue();
    }
}
