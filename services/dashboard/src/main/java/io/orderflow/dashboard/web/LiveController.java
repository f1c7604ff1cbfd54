package io.orderflow.dashboard.web;

import io.orderflow.dashboard.probe.DashboardState;
import io.orderflow.dashboard.probe.Snapshot;
import java.io.IOException;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The current snapshot, once or as a stream of server-sent events (one {@code snapshot} event per refresh). */
@RestController
class LiveController {

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
        // No timeout: the browser keeps the stream open as long as the page is; a closed one fails its next send.
        SseEmitter emitter = new SseEmitter(0L);
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
