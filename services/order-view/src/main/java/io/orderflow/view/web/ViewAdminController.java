package io.orderflow.view.web;

import io.orderflow.view.streams.ViewReset;
import io.orderflow.view.streams.ViewStreams;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What {@code orderflow views rebuild} drives: stop every instance, reset the application once, start every instance
 * from empty state, follow the progress. Off in production unless an operator turns it on
 * ({@code orderflow.view.admin.enabled}): it stops the read side.
 */
@RestController
@RequestMapping("/views/admin")
@ConditionalOnProperty(prefix = "orderflow.view.admin", name = "enabled", havingValue = "true")
class ViewAdminController {

    private final ViewStreams streams;
    private final ViewReset reset;

    ViewAdminController(ViewStreams streams, ViewReset reset) {
        this.streams = streams;
        this.reset = reset;
    }

    @GetMapping("/status")
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("applicationId", streams.applicationId());
        status.put(
                "instance",
                streams.self() == null
                        ? null
                        : streams.self().host() + ":" + streams.self().port());
        status.put("state", streams.state().map(Enum::name).orElse("STOPPED"));
        ViewReset.Progress progress = reset.progress();
        status.put("committed", progress.committed());
        status.put("end", progress.end());
        status.put("behind", progress.behind());
        status.put("sourceRecords", progress.sourceRecords());
        return status;
    }

    @PostMapping("/stop")
    Map<String, Object> stop() {
        streams.stop();
        return Map.of("state", "STOPPED");
    }

    /** Forgets the application's progress and deletes its internal topics; every instance must be stopped. */
    @PostMapping("/reset")
    ViewReset.Outcome reset(@RequestParam(defaultValue = "false") boolean force) {
        if (streams.state().isPresent()) {
            throw new IllegalStateException("this instance still runs: stop every instance first");
        }
        return reset.reset(force);
    }

    @PostMapping("/start")
    Map<String, Object> start(@RequestParam(defaultValue = "false") boolean clean) {
        streams.restart(clean);
        return Map.of("state", streams.state().map(Enum::name).orElse("STOPPED"), "clean", clean);
    }

    /** Tomcat's is an IllegalStateException too: without this, the handler below would call it a conflict. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail malformedQuery(InvalidParameterException e) {
        return ViewProblems.malformedQuery(e);
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Not now");
        return problem;
    }
}
