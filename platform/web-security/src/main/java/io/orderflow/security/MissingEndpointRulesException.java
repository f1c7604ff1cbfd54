package io.orderflow.security;

import java.util.List;
import java.util.stream.Collectors;

/** Endpoints no rule covers, found at start: the service does not start until each has one. */
final class MissingEndpointRulesException extends StartupRefusal {

    private final List<EndpointInventory.Endpoint> endpoints;

    MissingEndpointRulesException(List<EndpointInventory.Endpoint> endpoints) {
        super(describe(endpoints) + "\n" + fix());
        this.endpoints = List.copyOf(endpoints);
    }

    private static String describe(List<EndpointInventory.Endpoint> endpoints) {
        return (endpoints.size() == 1 ? "1 endpoint has" : endpoints.size() + " endpoints have")
                + " no rule, so every request to it would be refused:\n"
                + endpoints.stream().map(endpoint -> "    " + endpoint).collect(Collectors.joining("\n"));
    }

    private static String fix() {
        return "Add each to the service's EndpointRules bean, such as EndpointRules.builder()"
                + ".allow(HttpMethod.GET, \"/orders/{id}\", Role.CUSTOMER).operator(HttpMethod.GET, \"/orders\")"
                + ".open(HttpMethod.GET, \"/public\"); or set orderflow.security.require-rules=false to start"
                + " anyway, with those endpoints refused to every caller.";
    }

    @Override
    String description() {
        return describe(endpoints);
    }

    @Override
    String action() {
        return fix();
    }
}
