package io.orderflow.eventing.topic;

import java.util.Set;

/** The topics that exist once the service has started: a dependency of whatever reads or writes them. */
public record ProvisionedTopics(Set<String> names) {}
