package io.orderflow.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every endpoint an application context serves, and the rule that decides each: the {@code @RequestMapping}
 * controllers and actuator's web endpoints (every {@link RequestMappingInfoHandlerMapping}) and the functional routes
 * (every {@link RouterFunctionMapping}). The start-up check refuses a context with an endpoint no rule covers; a
 * system test can list a running service's endpoints with it too.
 *
 * <p>Each endpoint is asked about with a sample request: its method, and its path with every variable replaced by a
 * sample value ({@code /orders/{id}} -> {@code /orders/1}). An endpoint mapped for any method is covered when a rule
 * covers it for one method at least; the filter chain refuses the methods no rule names, as it refuses everything
 * else. Boot's error controller is left out: it answers the error dispatch of a request already decided.
 */
public final class EndpointInventory {

    private final List<Endpoint> endpoints;

    private EndpointInventory(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoints of the context, against the rules its filter chain enforces (its {@link AccessRules} bean). */
    public static EndpointInventory of(ApplicationContext context) {
        return of(context, context.getBean(AccessRules.class));
    }

    public static EndpointInventory of(ApplicationContext context, AccessRules rules) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RequestMappingInfoHandlerMapping mapping :
                context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
                    mapping.getHandlerMethods().entrySet()) {
                HandlerMethod handler = entry.getValue();
                if (ErrorController.class.isAssignableFrom(handler.getBeanType())) {
                    continue;
                }
                String name = handler.getBeanType().getSimpleName() + "#"
                        + handler.getMethod().getName();
                Set<RequestMethod> methods =
                        entry.getKey().getMethodsCondition().getMethods();
                for (String pattern : entry.getKey().getPatternValues()) {
                    if (methods.isEmpty()) {
                        endpoints.add(Endpoint.of(null, pattern, name, rules));
                    }
                    for (RequestMethod method : methods) {
                        endpoints.add(Endpoint.of(method.asHttpMethod(), pattern, name, rules));
                    }
                }
            }
        }
        for (RouterFunctionMapping mapping :
                context.getBeansOfType(RouterFunctionMapping.class).values()) {
            RouterFunction<?> function = mapping.getRouterFunction();
            if (function == null) {
                continue;
            }
            for (RouteCollector.Route route : RouteCollector.routesOf(function)) {
                String pattern = route.path() == null ? "/**" : route.path();
                if (route.methods().isEmpty()) {
                    endpoints.add(Endpoint.of(null, pattern, "functional route", rules));
                }
                for (HttpMethod method : route.methods()) {
                    endpoints.add(Endpoint.of(method, pattern, "functional route", rules));
                }
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::methodName));
        return new EndpointInventory(endpoints);
    }

    /** Sorted by path, then method. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Those no rule covers: refused to every caller. */
    public List<Endpoint> uncovered() {
        return endpoints.stream().filter(endpoint -> !endpoint.covered()).toList();
    }

    /**
     * One endpoint.
     *
     * @param method  its HTTP method; null when it is mapped for any
     * @param pattern its path pattern, as mapped
     * @param handler what serves it: {@code Controller#method}, or "functional route"
     * @param rule    the first rule that matches a sample request to it; empty when none does
     */
    public record Endpoint(HttpMethod method, String pattern, String handler, Optional<EndpointRule> rule) {

        static Endpoint of(HttpMethod method, String pattern, String handler, AccessRules rules) {
            String path = SamplePaths.of(pattern);
            Optional<EndpointRule> rule = method != null
                    ? rules.ruleFor(method, path)
                    : rules.rules().stream()
                            .filter(candidate -> candidate.matches(candidate.method(), path))
                            .findFirst();
            return new Endpoint(method, pattern, handler, rule);
        }

        public boolean covered() {
            return rule.isPresent();
        }

        String methodName() {
            return method == null ? "*" : method.name();
        }

        @Override
        public String toString() {
            return (method == null ? "(any method)" : method.name()) + " " + pattern + " (" + handler + ")";
        }
    }
}
