package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.outbox.OutboxRelay;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the relay with the application. Its phase is below the consumers' and the web server's, so at shutdown it
 * stops last and publishes what they wrote; its producer is closed when the bean is destroyed, not when it stops,
 * so that a context stopped and started again has a relay that works.
 */
public final class OutboxRelayLifecycle implements SmartLifecycle, AutoCloseable {

    public static final int PHASE = Integer.MAX_VALUE - 4096;

    private final OutboxRelay relay;

    public OutboxRelayLifecycle(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public void start() {
        relay.start();
    }

    @Override
    public void stop() {
        relay.stop();
    }

    @Override
    public void close() {
        relay.close();
    }

    @Override
    public boolean isRunning() {
        return relay.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
