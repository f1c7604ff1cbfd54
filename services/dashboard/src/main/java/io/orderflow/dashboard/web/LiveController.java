package io.orderflow.dashboard.web;

import io.orderflow.dashboard.probe.DashboardState;
import io.orderflow.dashboard.probe.Snapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The current snapshot, once or as a stream of server-sent events (one {@code snapshot} event per refresh). */
@RestController
class LiveController {

    /** Shorter than a session (30 minutes) and than an access token (15). */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(5);

    private final DashboardState state;

    LiveController(DashboardState state) {
        this.state = state;
    }

    @GetMapping("/api/snapshot")
    ResponseEntity<Snapshot> snapshot() {
        return state.current().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.ok(state.refresh()));
    }

    @GetMapping(path = "/api/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() {
        // Closed after a while, so that the browser reconnects through the login's checks: a stream that outlived
        // the session (expired, signed out elsewhere) or its bearer token would keep sending.
        SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
        Consumer<Snapshot> listener = new Consumer<>() {
            @Override
            public void accept(Snapshot snapshot) {
                try {
                    emitter.send(SseEmitter.event().name("snapshot").data(snapshot, MediaType.APPLICATION_JSON));
                } catch (IOException | IllegalStateException e) {
                    state.removeListener(this);
                    emitter.completeWithError(e);
                }
            }
        };
        emitter.onCompletion(() -> state.removeListener(listener));
        emitter.onError(error -> state.removeListener(listener));
        state.onSnapshot(listener);
        state.current().ifPresent(listener);
        return emitter;
    }
}
