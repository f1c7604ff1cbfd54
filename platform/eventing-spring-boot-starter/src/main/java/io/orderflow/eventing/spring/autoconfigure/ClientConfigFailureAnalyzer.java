package io.orderflow.eventing.spring.autoconfigure;

import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.clientconfig.ClientConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A client configuration that cannot be used stops the start with what is wrong, not with a stack trace. */
class ClientConfigFailureAnalyzer extends AbstractFailureAnalyzer<ClientConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ClientConfigException cause) {
        return new FailureAnalysis(
                "The Kafka or schema registry client configuration cannot be used: " + cause.getMessage(),
                "Fix the file " + ClientConfig.VARIABLE + " names (or the orderflow.eventing.schema-registry.*"
                        + " settings), or unset " + ClientConfig.VARIABLE + "; docs/configuration.md, \"Connecting"
                        + " to a secured Kafka and registry\", lists its settings.",
                cause);
    }
}
