package io.orderflow.apidocs;

import io.orderflow.security.AccessRules;
import io.orderflow.security.Caller;
import io.orderflow.security.EndpointRules;
import io.orderflow.security.WebSecurityAutoConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;

/**
 * The service's HTTP API as an OpenAPI 3.1 document generated from its controllers by springdoc, at
 * {@code /v3/api-docs} (and {@code .yaml}), browsable at {@code /swagger-ui.html}. On top of what springdoc finds:
 * the bearer-token scheme, who may call each operation (from the same {@link AccessRules} the filter chain enforces),
 * and every error as a problem detail (RFC 9457). The documents and the UI are open to anyone, like the health
 * probes: they say what may be asked, not what anyone has; {@code springdoc.api-docs.enabled=false} and
 * {@code springdoc.swagger-ui.enabled=false} take them away.
 */
@AutoConfiguration(after = WebSecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "springdoc.api-docs.enabled", matchIfMissing = true)
public class ApiDocsAutoConfiguration {

    /** The security scheme's name in the document. */
    public static final String BEARER = "bearer";
    /** The problem-details schema's name in the document. */
    public static final String PROBLEM = "Problem";

    @Bean
    EndpointRules apiDocsRules() {
        return EndpointRules.builder()
                .open(HttpMethod.GET, "/v3/api-docs")
                .open(HttpMethod.GET, "/v3/api-docs.yaml")
                .open(HttpMethod.GET, "/v3/api-docs/**")
                .open(HttpMethod.GET, "/swagger-ui.html")
                .open(HttpMethod.GET, "/swagger-ui/**")
                .build();
    }

    static {
        // The caller is resolved from the token, not sent as a parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI orderflowOpenApi(Environment environment) {
        String service = environment.getProperty("spring.application.name", "service");
        // Relative: springdoc would otherwise write the first caller's Host header into the document it keeps. The
        // bearer scheme for the whole document: an operation no rule could be found for is not shown as open.
        return new OpenAPI()
                .servers(List.of(new Server().url("/").description("this service")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER))
                .info(new Info()
                        .title(service)
                        .version(environment.getProperty("orderflow.api-docs.version", "0.1.0"))
                        .description("The HTTP API of Orderflow's " + service + ". Every operation but the open ones"
                                + " needs an OAuth2 access token from the authorization server (bearer); each"
                                + " operation says which roles may call it. Errors are problem details (RFC 9457)."))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("An access token (JWT) of the authorization server, for the"
                                                + " service's audience, with the caller's roles")));
    }

    @Bean
    OpenApiCustomizer orderflowAccessAndProblems(ObjectProvider<AccessRules> rules) {
        return new AccessAndProblems(rules::getIfAvailable);
    }
}
