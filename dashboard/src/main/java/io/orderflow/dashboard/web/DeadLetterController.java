package io.orderflow.dashboard.web;

import io.orderflow.eventing.dlq.DeadLetter;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterId;
import io.orderflow.eventing.dlq.DeadLetterPayloads;
import io.orderflow.eventing.dlq.DeadLetterQuery;
import io.orderflow.eventing.dlq.ReplayPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dead-letter tools over HTTP, as {@code orderflow dlq} offers them on the command line. Every request is checked
 * whole first: an unknown id, a malformed filter or an unknown topic is a problem answer and nothing is replayed.
 */
@RestController
@RequestMapping("/api/dlq")
class DeadLetterController {

    private final DeadLetterAdmin admin;
    private final DeadLetterPayloads payloads;

    DeadLetterController(DeadLetterAdmin admin, DeadLetterPayloads payloads) {
        this.admin = admin;
        this.payloads = payloads;
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String topic,
                             @RequestParam(required = false) String reason,
                             @RequestParam(required = false) String consumer,
                             @RequestParam(required = false) String key,
                             @RequestParam(required = false) String status) {
        List<LetterResponse> letters = admin.list(DeadLetterQuery.of(topic, reason, consumer, key, status)).stream()
                .map(letter -> LetterResponse.of(letter, null)).toList();
        return Map.of("count", letters.size(), "deadLetters", letters);
    }

    @GetMapping("/{id}")
    LetterResponse show(@PathVariable String id) {
        DeadLetter letter = admin.show(DeadLetterId.parse(id));
        return LetterResponse.of(letter, payloads.decode(letter));
    }

    /**
     * Replays the named dead letters, or every pending one the filter matches. {@code dryRun=true} says what would
     * happen and sends nothing.
     */
    @PostMapping("/replay")
    ReplayResponse replay(@RequestBody ReplayRequest request, @RequestParam(defaultValue = "false") boolean dryRun) {
        DeadLetterQuery filter = DeadLetterQuery.of(request.topic(), request.reason(), request.consumer(),
                request.key(), null);
        List<DeadLetterId> ids = request.ids() == null ? List.of()
                : request.ids().stream().map(DeadLetterId::parse).toList();
        return ReplayResponse.of(admin.replay(ids, filter, Boolean.TRUE.equals(request.all()), dryRun));
    }

    /** Deletes a dead-letter topic's records; refused while some are pending unless {@code force=true}. */
    @PostMapping("/purge")
    Map<String, Object> purge(@RequestParam String topic, @RequestParam(defaultValue = "false") boolean force,
                              @RequestParam(defaultValue = "false") boolean dryRun) {
        return Map.of("topic", topic, "dryRun", dryRun, "purged", admin.purge(topic, force, dryRun));
    }

    /** @param all every pending dead letter, when neither ids nor a filter are given */
    record ReplayRequest(List<String> ids, String topic, String reason, String consumer, String key, Boolean all) {
    }

    record LetterResponse(String id, String status, String outcome, String originalTopic, String key,
                          String eventType, String eventId, String consumer, String reason, int attempts,
                          Instant failedAt, int replayCount, Instant writtenAt, String payload,
                          Map<String, String> headers) {

        static LetterResponse of(DeadLetter letter, String payload) {
            return new LetterResponse(letter.id().toString(), letter.status().name(), letter.outcome()
                    .map(outcome -> outcome.at() + " " + outcome.detail()).orElse(null), letter.originalTopic(),
                    letter.key(), letter.eventType(), letter.eventId(), letter.consumer(), letter.reason(),
                    letter.attempts(), letter.failedAt().orElse(null), letter.replayCount(), letter.writtenAt(),
                    payload, payload == null ? null : letter.headers());
        }
    }

    record ReplayResponse(boolean dryRun, List<Map<String, Object>> replayed, List<String> quarantined,
                          List<Map<String, String>> skipped) {

        static ReplayResponse of(ReplayPlan plan) {
            return new ReplayResponse(plan.dryRun(),
                    plan.replayed().stream().map(replay -> Map.<String, Object>of("id",
                            replay.letter().id().toString(), "toTopic", replay.toTopic(), "replayCount",
                            replay.replayCount())).toList(),
                    plan.quarantined().stream().map(letter -> letter.id().toString()).toList(),
                    plan.skipped().stream().map(skip -> Map.of("id", skip.letter().id().toString(), "why",
                            skip.why())).toList());
        }
    }
}
