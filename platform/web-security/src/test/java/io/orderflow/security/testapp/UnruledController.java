package io.orderflow.security.testapp;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A controller someone forgot to give a rule, switched on by {@code testapp.unruled=true}. */
@RestController
@ConditionalOnBooleanProperty("testapp.unruled")
class UnruledController {

    @GetMapping("/internal/{id}")
    Map<String, String> internal(@PathVariable String id) {
        return Map.of("id", id);
    }
}
