package io.orderflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.servlet.function.RequestPredicates.GET;
import static org.springframework.web.servlet.function.RequestPredicates.POST;
import static org.springframework.web.servlet.function.RequestPredicates.accept;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

class RouteCollectorTest {

    static final HandlerFunction<ServerResponse> OK =
            request -> ServerResponse.ok().build();

    @Test
    void collectsMethodAndFullPathOfEveryRouteNestedOrNot() {
        RouterFunction<ServerResponse> routes = RouterFunctions.route()
                .GET("/ops/lag", OK)
                .path("/stock", stock -> stock.GET("/{sku}", OK).nest(path("/{sku}/moves"), moves -> moves.POST(OK)))
                .route(GET("/a").or(POST("/b")), OK)
                .route(GET("/c").and(accept(MediaType.APPLICATION_JSON)), OK)
                .route(path("/anything"), OK)
                .build();

        assertThat(RouteCollector.routesOf(routes))
                .extracting(route -> route.methods() + " " + route.path())
                .containsExactly(
                        "[GET] /ops/lag",
                        "[GET] /stock/{sku}",
                        "[POST] /stock/{sku}/moves",
                        "[GET] /a",
                        "[POST] /b",
                        "[GET] /c",
                        "[] /anything");
    }
}
