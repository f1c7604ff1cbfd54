package io.orderflow.security;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;

/**
 * Refuses to start a service with an endpoint no rule covers. Runs once every bean is made (the handler mappings
 * have registered their endpoints), before the web server opens its port: the service never serves with a gap.
 */
final class RuleCoverageCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RuleCoverageCheck.class);

    private final ApplicationContext context;
    private final AccessRules rules;

    RuleCoverageCheck(ApplicationContext context, AccessRules rules) {
        this.context = context;
        this.rules = rules;
    }

    @Override
    public void afterSingletonsInstantiated() {
        EndpointInventory inventory = EndpointInventory.of(context, rules);
        List<EndpointInventory.Endpoint> uncovered = inventory.uncovered();
        if (!uncovered.isEmpty()) {
            throw new MissingEndpointRulesException(uncovered);
        }
        log.debug("Every endpoint has a rule: {}", inventory.endpoints());
    }
}
