package io.orderflow.security.testapp;

import io.orderflow.security.Caller;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Orders of one customer each: {@code alice} owns order 1, {@code bob} order 2. */
@RestController
class OrderController {

    private static final Map<String, String> OWNERS = Map.of("1", "alice", "2", "bob");

    @PostMapping("/orders")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> place(Caller caller) {
        return Map.of("placedBy", caller.id());
    }

    @GetMapping("/orders/{id}")
    Map<String, String> order(@PathVariable String id, Caller caller) {
        String owner = OWNERS.get(id);
        // Not the caller's: the same 404 as a missing order, so that order ids of others cannot be probed.
        if (owner == null || !caller.mayActFor(owner)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id);
        }
        return Map.of("id", id, "customer", owner);
    }

    @GetMapping("/orders")
    List<String> all() {
        return List.copyOf(OWNERS.keySet());
    }

    @GetMapping("/me")
    Caller me(Caller caller) {
        return caller;
    }
}
