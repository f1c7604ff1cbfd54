package io.orderflow.security.testapp;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/** Functional routes: stock, nested under /stock, and an ops route that only the platform's rules cover. */
@Configuration(proxyBeanMethods = false)
class StockRoutes {

    @Bean
    RouterFunction<ServerResponse> stockAndOpsRoutes() {
        return RouterFunctions.route()
                .path(
                        "/stock",
                        stock -> stock.GET(
                                        "/{sku}",
                                        request -> ServerResponse.ok()
                                                .body(Map.of("sku", request.pathVariable("sku"), "available", 3)))
                                .PUT(
                                        "/{sku}",
                                        request -> ServerResponse.noContent().build()))
                .GET("/ops/lag", request -> ServerResponse.ok().body(Map.of("behind", 0)))
                .build();
    }
}
