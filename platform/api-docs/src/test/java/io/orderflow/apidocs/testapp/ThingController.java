package io.orderflow.apidocs.testapp;

import io.orderflow.security.Caller;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ThingController {

    record NewThing(String name) {}

    record Thing(UUID id, String name) {}

    /** A thing nobody placed. */
    static final class NoSuchThing extends RuntimeException {
        NoSuchThing(UUID id) {
            super("no thing " + id);
        }
    }

    @PostMapping("/things")
    @ResponseStatus(HttpStatus.CREATED)
    Thing place(@RequestHeader(name = "Idempotency-Key", required = false) String key, @RequestBody NewThing thing) {
        return new Thing(UUID.randomUUID(), thing.name());
    }

    @GetMapping("/things/{id}")
    Thing thing(@PathVariable UUID id, Caller caller) {
        throw new NoSuchThing(id);
    }

    @GetMapping("/catalogue")
    List<String> catalogue() {
        return List.of("kettle", "teapot");
    }
}
