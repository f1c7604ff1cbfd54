package io.orderflow.eventing.dlq;

import java.util.List;

/**
 * What a replay did, or, on a dry run, would do.
 *
 * @param replayed    sent back to their original topics
 * @param quarantined replayed too often already: copied to {@code <topic>.quarantine} instead
 * @param skipped     left alone, each with the reason
 */
public record ReplayPlan(boolean dryRun, List<Replay> replayed, List<DeadLetter> quarantined, List<Skip> skipped) {

    public ReplayPlan {
        replayed = List.copyOf(replayed);
        quarantined = List.copyOf(quarantined);
        skipped = List.copyOf(skipped);
    }

    /** @param replayCount the replay count the record carries on its way back */
    public record Replay(DeadLetter letter, String toTopic, int replayCount) {}

    public record Skip(DeadLetter letter, String why) {}

    /** How many dead letters a request replayed, quarantined and skipped, over all its batches. */
    public record Totals(long replayed, long quarantined, long skipped) {

        public static final Totals NONE = new Totals(0, 0, 0);

        public Totals plus(ReplayPlan plan) {
            return new Totals(
                    replayed + plan.replayed().size(),
                    quarantined + plan.quarantined().size(),
                    skipped + plan.skipped().size());
        }
    }
}
