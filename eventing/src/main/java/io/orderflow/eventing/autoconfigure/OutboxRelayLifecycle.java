package io.orderflow.eventing.autoconfigure;

import io.orderflow.eventing.outbox.OutboxRelay;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the relay with the application. Its phase is below the consumers' and the web server's, so at shutdown it
 * stops last and publishes what they wrote before it flushes and closes its producer.
 */
public final class OutboxRelayLifecycle implements SmartLifecycle {

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
