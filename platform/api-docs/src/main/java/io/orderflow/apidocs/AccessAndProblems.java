package io.orderflow.apidocs;

import io.orderflow.security.AccessRules;
import io.orderflow.security.EndpointRule;
import io.orderflow.security.Role;
import io.orderflow.security.SamplePaths;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpMethod;

/**
 * Says in the document what the filter chain does: an open operation needs no token; any other needs a bearer token
 * with one of its roles, and answers 401 without one and 403 with the wrong one. Every error response is a problem
 * detail, whatever springdoc inferred for it.
 */
final class AccessAndProblems implements OpenApiCustomizer {

    static final String PROBLEM_JSON = "application/problem+json";
    /** The roles that may call an operation, as their claim values: for programs reading the document. */
    static final String ROLES_EXTENSION = "x-orderflow-roles";

    private final Supplier<AccessRules> rules;

    AccessAndProblems(Supplier<AccessRules> rules) {
        this.rules = rules;
    }

    @Override
    public void customise(OpenAPI document) {
        // Here, not on the OpenAPI bean: springdoc replaces the bean's schemas with those it finds.
        if (document.getComponents() == null) {
            document.setComponents(new Components());
        }
        document.getComponents().addSchemas(ApiDocsAutoConfiguration.PROBLEM, problem());
        AccessRules access = rules.get();
        if (document.getPaths() == null) {
            return;
        }
        document.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                    // Asked as the filter chain is asked: a request path, each variable given a sample value.
                    Optional<EndpointRule> rule = access == null
                            ? Optional.empty()
                            : access.ruleFor(HttpMethod.valueOf(method.name()), SamplePaths.of(path));
                    rule.ifPresent(found -> describeAccess(operation, found));
                    problemsForErrors(operation);
                }));
    }

    private static void describeAccess(Operation operation, EndpointRule rule) {
        if (rule.isOpen()) {
            operation.setSecurity(List.of());
            return;
        }
        List<String> claimed =
                EnumSet.copyOf(rule.roles()).stream().map(Role::claimValue).toList();
        String roles = String.join(", ", claimed);
        operation.setSecurity(List.of(new SecurityRequirement().addList(ApiDocsAutoConfiguration.BEARER)));
        operation.addExtension(ROLES_EXTENSION, claimed);
        String said = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
        operation.setDescription(said + "Roles: " + roles + ".");
        ApiResponses responses = responses(operation);
        responses.putIfAbsent("401", problem("no token, or one that is not valid here"));
        String refused = "the token's roles do not include one of: " + roles;
        ApiResponse forbidden = responses.get("403");
        if (forbidden == null) {
            responses.put("403", problem(refused));
        } else if (forbidden.getDescription() == null
                || !forbidden.getDescription().contains(refused)) {
            forbidden.setDescription(
                    (forbidden.getDescription() == null ? "" : forbidden.getDescription() + "; or ") + refused);
        }
    }

    private static void problemsForErrors(Operation operation) {
        for (Map.Entry<String, ApiResponse> response : responses(operation).entrySet()) {
            if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                response.getValue().setContent(problemContent());
            }
        }
    }

    private static ObjectSchema problem() {
        ObjectSchema problem = new ObjectSchema();
        problem.description("A problem detail (RFC 9457): what went wrong, for a person and for a program");
        problem.addProperty("type", new StringSchema().format("uri").description("what kind of problem"));
        problem.addProperty("title", new StringSchema().description("the kind, in a few words"));
        problem.addProperty("status", new IntegerSchema().description("the HTTP status"));
        problem.addProperty("detail", new StringSchema().description("this occurrence, in a sentence"));
        problem.addProperty("instance", new StringSchema().format("uri").description("the request's path"));
        problem.setAdditionalProperties(true);
        return problem;
    }

    private static ApiResponses responses(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        return operation.getResponses();
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return new Content()
                .addMediaType(
                        PROBLEM_JSON,
                        new MediaType()
                                .schema(new Schema<>()
                                        .$ref("#/components/schemas/" + ApiDocsAutoConfiguration.PROBLEM)));
    }
}
