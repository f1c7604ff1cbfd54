package io.orderflow.dashboard.web;

import io.orderflow.eventing.dlq.DeadLetter;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterId;
import io.orderflow.eventing.dlq.DeadLetterPage;
import io.orderflow.eventing.dlq.DeadLetterPayloads;
import io.orderflow.eventing.dlq.DeadLetterQuery;
import io.orderflow.eventing.dlq.ReplayPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    Map<String, Object> list(
            @RequestParam(required = false) String topic,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) String consumer,
            @RequestParam(required = false) String key,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") int limit) {
        DeadLetterPage page = admin.list(
                DeadLetterQuery.of(topic, reason, consumer, key, status),
                Optional.ofNullable(after).map(DeadLetterId::parse),
                limit);
        List<LetterResponse> letters = page.letters().stream()
                .map(letter -> LetterResponse.of(letter, null))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", letters.size());
        body.put("deadLetters", letters);
        body.put("next", page.next().map(DeadLetterId::toString).orElse(null));
        return body;
    }

    @GetMapping("/{id}")
    LetterResponse show(@PathVariable String id) {
        DeadLetter letter = admin.show(DeadLetterId.parse(id));
        return LetterResponse.of(letter, payloads.decode(letter));
    }

    /**
     * Replays the named dead letters, or every pending one the filter matches, a chunk at a time. {@code dryRun=true}
     * says what would happen and sends nothing. The answer counts every dead letter and names the first
     * {@value FirstOfEach#LISTED} of each kind.
     */
    @PostMapping("/replay")
    ReplayResponse replay(@RequestBody ReplayRequest request, @RequestParam(defaultValue = "false") boolean dryRun) {
        DeadLetterQuery filter =
                DeadLetterQuery.of(request.topic(), request.reason(), request.consumer(), request.key(), null);
        List<DeadLetterId> ids = request.ids() == null
                ? List.of()
                : request.ids().stream().map(DeadLetterId::parse).toList();
        FirstOfEach listed = new FirstOfEach();
        ReplayPlan.Totals totals = admin.replay(ids, filter, Boolean.TRUE.equals(request.all()), dryRun, listed::add);
        return new ReplayResponse(dryRun, listed.replayed, listed.quarantined, listed.skipped, totals);
    }

    /** Deletes a dead-letter topic's records; refused while some are pending unless {@code force=true}. */
    @PostMapping("/purge")
    Map<String, Object> purge(
            @RequestParam String topic,
            @RequestParam(defaultValue = "false") boolean force,
            @RequestParam(defaultValue = "false") boolean dryRun) {
        return Map.of("topic", topic, "dryRun", dryRun, "purged", admin.purge(topic, force, dryRun));
    }

    /** @param all every pending dead letter, when neither ids nor a filter are given */
    record ReplayRequest(List<String> ids, String topic, String reason, String consumer, String key, Boolean all) {}

    record LetterResponse(
            String id,
            String status,
            String outcome,
            String originalTopic,
            String key,
            String eventType,
            String eventId,
            String consumer,
            String reason,
            int attempts,
            Instant failedAt,
            int replayCount,
            Instant writtenAt,
            String payload,
            Map<String, String> headers) {

        static LetterResponse of(DeadLetter letter, String payload) {
            return new LetterResponse(
                    letter.id().toString(),
                    letter.status().name(),
                    letter.outcome()
                            .map(outcome -> outcome.at() + " " + outcome.detail())
                            .orElse(null),
                    letter.originalTopic(),
                    letter.key(),
                    letter.eventType(),
                    letter.eventId(),
                    letter.consumer(),
                    letter.reason(),
                    letter.attempts(),
                    letter.failedAt().orElse(null),
                    letter.replayCount(),
                    letter.writtenAt(),
                    payload,
                    payload == null ? null : letter.headers());
        }
    }

    record ReplayResponse(
            boolean dryRun,
            List<Map<String, Object>> replayed,
            List<String> quarantined,
            List<Map<String, String>> skipped,
            ReplayPlan.Totals totals) {}

    /** What a replay did, a chunk at a time, up to {@link #LISTED} of each kind however many there are. */
    private static final class FirstOfEach {

        static final int LISTED = 1000;

        final List<Map<String, Object>> replayed = new ArrayList<>();
        final List<String> quarantined = new ArrayList<>();
        final List<Map<String, String>> skipped = new ArrayList<>();

        void add(ReplayPlan plan) {
            plan.replayed().stream()
                    .limit(LISTED - replayed.size())
                    .forEach(replay -> replayed.add(Map.of(
                            "id",
                            replay.letter().id().toString(),
                            "toTopic",
                            replay.toTopic(),
                            "replayCount",
                            replay.replayCount())));
            plan.quarantined().stream()
                    .limit(LISTED - quarantined.size())
                    .forEach(letter -> quarantined.add(letter.id().toString()));
            plan.skipped().stream()
                    .limit(LISTED - skipped.size())
                    .forEach(skip -> skipped.add(Map.of("id", skip.letter().id().toString(), "why", skip.why())));
        }
    }
}
