package io.orderflow.security.testapp;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/** A functional route someone forgot to give a rule, switched on by {@code testapp.unruled=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("testapp.unruled")
class UnruledEndpoints {

    @Bean
    RouterFunction<ServerResponse> unruledRoutes() {
        return RouterFunctions.route()
                .POST("/reports", request -> ServerResponse.accepted().body(Map.of()))
                .build();
    }
}
