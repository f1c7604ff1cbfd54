package io.orderflow.security;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The method and path of every route of a functional {@link RouterFunction}, nested routes with their prefix. What
 * a predicate checks besides method and path (headers, parameters, a negation) narrows nothing here: the route is
 * listed by its method and path, which are what the rules are about.
 */
final class RouteCollector implements RouterFunctions.Visitor {

    /** One way a predicate can match: these methods (none: any) on this path (null: any). */
    record Route(Set<HttpMethod> methods, String path) {

        static final Route ANY = new Route(Set.of(), null);

        Route and(Route other) {
            Set<HttpMethod> both;
            if (methods.isEmpty()) {
                both = other.methods;
            } else if (other.methods.isEmpty()) {
                both = methods;
            } else {
                both = new LinkedHashSet<>(methods);
                both.retainAll(other.methods);
            }
            return new Route(both, other.path != null ? other.path : path);
        }
    }

    private final Deque<List<Route>> nests = new ArrayDeque<>();
    private final List<Route> routes = new ArrayList<>();

    static List<Route> routesOf(RouterFunction<?> function) {
        RouteCollector collector = new RouteCollector();
        function.accept(collector);
        return collector.routes;
    }

    @Override
    public void startNested(RequestPredicate predicate) {
        List<Route> within = nests.isEmpty() ? List.of(Route.ANY) : nests.peek();
        nests.push(nest(within, PredicateRoutes.of(predicate)));
    }

    @Override
    public void endNested(RequestPredicate predicate) {
        nests.pop();
    }

    @Override
    public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
        List<Route> within = nests.isEmpty() ? List.of(Route.ANY) : nests.peek();
        routes.addAll(nest(within, PredicateRoutes.of(predicate)));
    }

    @Override
    public void resources(Function<ServerRequest, Optional<Resource>> lookupFunction) {
        // Static resources: no rule lists them, so the filter chain refuses them, as it should in an API.
    }

    @Override
    public void attributes(Map<String, Object> attributes) {}

    @Override
    public void unknown(RouterFunction<?> routerFunction) {}

    /** The routes inside a nest: its prefix joined to each path, its methods narrowing theirs. */
    private static List<Route> nest(List<Route> outer, List<Route> inner) {
        List<Route> joined = new ArrayList<>();
        for (Route prefix : outer) {
            for (Route route : inner) {
                Route both = prefix.and(route);
                joined.add(new Route(both.methods(), join(prefix.path(), route.path())));
            }
        }
        return joined;
    }

    private static String join(String prefix, String path) {
        if (prefix == null) {
            return path;
        }
        if (path == null) {
            return prefix;
        }
        return PathPatternParser.defaultInstance
                .parse(prefix)
                .combine(PathPatternParser.defaultInstance.parse(path))
                .getPatternString();
    }

    /** A predicate's ways to match, evaluated bottom-up on a stack as the predicate visits this. */
    private static final class PredicateRoutes implements RequestPredicates.Visitor {

        private final Deque<List<Route>> stack = new ArrayDeque<>();

        static List<Route> of(RequestPredicate predicate) {
            PredicateRoutes visitor = new PredicateRoutes();
            predicate.accept(visitor);
            return visitor.stack.isEmpty() ? List.of(Route.ANY) : visitor.stack.pop();
        }

        @Override
        public void method(Set<HttpMethod> methods) {
            stack.push(List.of(new Route(Set.copyOf(methods), null)));
        }

        @Override
        public void path(String pattern) {
            stack.push(List.of(new Route(Set.of(), pattern)));
        }

        /** Still abstract in the interface, though deprecated for removal: implemented until Spring drops it. */
        @Override
        @SuppressWarnings("removal")
        public void pathExtension(String extension) {
            stack.push(List.of(Route.ANY));
        }

        @Override
        public void header(String name, String value) {
            stack.push(List.of(Route.ANY));
        }

        @Override
        public void param(String name, String value) {
            stack.push(List.of(Route.ANY));
        }

        @Override
        public void version(String version) {
            stack.push(List.of(Route.ANY));
        }

        @Override
        public void startAnd() {}

        @Override
        public void and() {}

        @Override
        public void endAnd() {
            List<Route> right = stack.pop();
            List<Route> left = stack.pop();
            List<Route> both = new ArrayList<>();
            for (Route l : left) {
                for (Route r : right) {
                    both.add(l.and(r));
                }
            }
            stack.push(both);
        }

        @Override
        public void startOr() {}

        @Override
        public void or() {}

        @Override
        public void endOr() {
            List<Route> right = stack.pop();
            List<Route> left = stack.pop();
            List<Route> either = new ArrayList<>(left);
            either.addAll(right);
            stack.push(either);
        }

        @Override
        public void startNegate() {}

        @Override
        public void endNegate() {
            stack.pop();
            stack.push(List.of(Route.ANY));
        }

        @Override
        public void unknown(RequestPredicate predicate) {
            stack.push(List.of(Route.ANY));
        }
    }
}
