package io.orderflow.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.context.ApplicationContext;

/**
 * {@code GET /actuator/access} (operators only, as all of actuator): every endpoint the service serves and who may
 * call it, from the service's own handler mappings and the rules its filter chain enforces. What an auditor asks
 * for, and what the system tests walk to knock on every door without a token.
 */
@Endpoint(id = "access")
public class AccessEndpoint {

    private final ApplicationContext context;

    public AccessEndpoint(ApplicationContext context) {
        this.context = context;
    }

    @ReadOperation
    public Map<String, Object> access() {
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (EndpointInventory.Endpoint endpoint : EndpointInventory.of(context).endpoints()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(
                    "method",
                    endpoint.method() == null ? null : endpoint.method().name());
            entry.put("pattern", endpoint.pattern());
            entry.put("samplePath", SamplePaths.of(endpoint.pattern()));
            entry.put("handler", endpoint.handler());
            entry.put("covered", endpoint.covered());
            entry.put("open", endpoint.rule().map(EndpointRule::isOpen).orElse(false));
            entry.put(
                    "roles",
                    endpoint.rule()
                            .map(rule -> rule.roles().stream()
                                    .sorted()
                                    .map(Role::claimValue)
                                    .toList())
                            .orElse(List.of()));
            endpoints.add(entry);
        }
        return Map.of("endpoints", endpoints);
    }
}
