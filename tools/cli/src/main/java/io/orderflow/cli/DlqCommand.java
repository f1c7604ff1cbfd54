package io.orderflow.cli;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.dlq.DeadLetter;
import io.orderflow.eventing.dlq.DeadLetterAdmin;
import io.orderflow.eventing.dlq.DeadLetterId;
import io.orderflow.eventing.dlq.DeadLetterPage;
import io.orderflow.eventing.dlq.DeadLetterPayloads;
import io.orderflow.eventing.dlq.DeadLetterQuery;
import io.orderflow.eventing.dlq.DeadLetterStatus;
import io.orderflow.eventing.dlq.ReplayPlan;
import io.orderflow.eventing.serde.EventSerdes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.topic.TopicSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The dead-letter topics: what failed and why, and sending it back once it is fixed. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = "List, show, replay and purge dead letters (records that failed their consumer).",
        subcommands = {
            DlqCommand.ListLetters.class,
            DlqCommand.Show.class,
            DlqCommand.Replay.class,
            DlqCommand.Purge.class
        })
final class DlqCommand {

    /**
     * Where Kafka and the registry are, and the replay limit. An option given wins; otherwise the client
     * configuration of the environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, the file
     * {@code ORDERFLOW_CLIENT_CONFIG} names), then the local stack's addresses. The file's security settings and
     * registry access apply whichever address is used.
     */
    static final class Connection {

        static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
        static final String DEFAULT_REGISTRY = "http://127.0.0.1:8086";

        @Option(
                names = "--bootstrap-servers",
                description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS, else bootstrap.servers of the file"
                        + " $ORDERFLOW_CLIENT_CONFIG names, else " + DEFAULT_BOOTSTRAP_SERVERS + ").")
        String bootstrapServers;

        @Option(
                names = "--registry",
                description = "Schema registry, to decode payloads (default: $SCHEMA_REGISTRY_URL, else"
                        + " schema.registry.url of the file $ORDERFLOW_CLIENT_CONFIG names, else " + DEFAULT_REGISTRY
                        + ").")
        String registryUrl;

        @Option(
                names = "--max-replays",
                defaultValue = "3",
                description = "Replays after which a dead letter that failed again is quarantined instead"
                        + " (default ${DEFAULT-VALUE}).")
        int maxReplays;

        @Option(
                names = "--replication-factor",
                defaultValue = "${env:KAFKA_REPLICATION_FACTOR:--1}",
                description = "Replicas of the topics the tools create: outcomes, quarantine (default"
                        + " KAFKA_REPLICATION_FACTOR, else -1: the broker's default).")
        short replicationFactor;

        @Option(
                names = "--min-insync-replicas",
                defaultValue = "${env:KAFKA_MIN_INSYNC_REPLICAS:--1}",
                description = "Replicas a write to those topics needs (default KAFKA_MIN_INSYNC_REPLICAS, else -1:"
                        + " the broker's default).")
        int minInsyncReplicas;

        /** The environment's variables; a test's own. */
        Function<String, String> variables = System::getenv;

        /** Every Kafka client setting: the file's, with the bootstrap servers as above. */
        Map<String, Object> kafka() {
            ClientConfig config = ClientConfig.fromEnvironment(variables);
            return config.kafka(
                    bootstrapServers != null
                            ? bootstrapServers
                            : config.bootstrapServers().orElse(DEFAULT_BOOTSTRAP_SERVERS));
        }

        SchemaRegistryClient registry() {
            ClientConfig config = ClientConfig.fromEnvironment(variables);
            return new SchemaRegistryClient(
                    registryUrl != null ? registryUrl : config.registryUrl().orElse(DEFAULT_REGISTRY),
                    Duration.ofSeconds(5),
                    config.registryAccess());
        }

        DeadLetterAdmin admin() {
            TopicSettings defaults = TopicSettings.defaults();
            TopicSettings topics = new TopicSettings(
                    defaults.partitions(),
                    replicationFactor,
                    minInsyncReplicas,
                    defaults.retention(),
                    defaults.deadLetterRetention());
            return new DeadLetterAdmin(kafka(), topics, maxReplays, Clock.systemUTC());
        }
    }

    /** Which dead letters; every filter given must match. */
    static final class Filter {

        @Option(names = "--topic", description = "A topic, or its dead-letter topic (<topic>.dlq).")
        String topic;

        @Option(names = "--reason", description = "A part of the failure's reason, in any case.")
        String reason;

        @Option(names = "--consumer", description = "The consumer that failed it, e.g. payment-service.")
        String consumer;

        @Option(names = "--key", description = "The record's key: the order id on the saga's topics.")
        String key;

        DeadLetterQuery query(String status) {
            return DeadLetterQuery.of(topic, reason, consumer, key, status);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "A page of dead letters with their reasons, grouped by reason first; the last line says"
                    + " how to see the next page.")
    static final class ListLetters implements Callable<Integer> {

        @Mixin
        Connection connection;

        @ArgGroup(exclusive = false)
        Filter filter = new Filter();

        @Option(names = "--status", description = "pending, replayed or quarantined (default: all).")
        String status;

        @Option(
                names = "--limit",
                defaultValue = "100",
                description = "Dead letters on the page, at most " + DeadLetterAdmin.MAX_PAGE
                        + " (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--after",
                paramLabel = "ID",
                description = "Start after this dead letter: the id the" + " previous page gave.")
        String after;

        @Override
        public Integer call() {
            DeadLetterQuery query = filter.query(status);
            Optional<DeadLetterId> start = Optional.ofNullable(after).map(DeadLetterId::parse);
            try (DeadLetterAdmin admin = connection.admin()) {
                DeadLetterPage page = admin.list(query, start, limit);
                List<DeadLetter> letters = page.letters();
                Map<DeadLetterStatus, Long> byStatus = letters.stream()
                        .collect(Collectors.groupingBy(
                                DeadLetter::status, () -> new TreeMap<>(), Collectors.counting()));
                Console.heading(letters.size() + " dead letter(s)"
                        + (page.next().isPresent() ? " on this page" : "")
                        + (byStatus.isEmpty()
                                ? ""
                                : ": "
                                        + byStatus.entrySet().stream()
                                                .map(entry -> entry.getValue() + " "
                                                        + entry.getKey().name().toLowerCase())
                                                .collect(Collectors.joining(", "))));
                if (letters.isEmpty()) {
                    return 0;
                }
                Console.line("  by reason:");
                letters.stream()
                        .collect(Collectors.groupingBy(DeadLetter::reason, TreeMap::new, Collectors.counting()))
                        .forEach((reason, count) -> Console.line(String.format("  %6d  %s", count, reason)));
                Console.line("");
                Console.line(String.format(
                        "  %-34s %-11s %-18s %-22s %-7s %s", "ID", "STATUS", "CONSUMER", "EVENT", "REPLAYS", "KEY"));
                for (DeadLetter letter : letters) {
                    Console.line(String.format(
                            "  %-34s %-11s %-18s %-22s %-7d %s",
                            letter.id(),
                            letter.status().name().toLowerCase(),
                            letter.consumer(),
                            letter.eventType(),
                            letter.replayCount(),
                            letter.key()));
                }
                page.next().ifPresent(next -> Console.line("  more: the same with --after " + next));
            }
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One dead letter: why it failed, its envelope and its payload decoded.")
    static final class Show implements Callable<Integer> {

        @Mixin
        Connection connection;

        @Parameters(arity = "1", paramLabel = "ID", description = "<topic>.dlq:<partition>:<offset>, as list shows.")
        String id;

        @Override
        public Integer call() {
            DeadLetterId parsed = DeadLetterId.parse(id);
            try (DeadLetterAdmin admin = connection.admin()) {
                DeadLetter letter = admin.show(parsed);
                Console.heading("Dead letter " + letter.id());
                Console.line("  status      " + letter.status().name().toLowerCase()
                        + letter.outcome()
                                .map(outcome -> " at " + outcome.at() + ": " + outcome.detail())
                                .orElse(""));
                Console.line("  reason      " + letter.reason());
                Console.line("  failed in   " + letter.consumer() + ", on " + letter.originalTopic() + " partition "
                        + letter.headers().getOrDefault("kafka_dlt-original-partition", "?") + " offset "
                        + letter.headers().getOrDefault("kafka_dlt-original-offset", "?"));
                Console.line("  failed at   "
                        + letter.failedAt().map(Object::toString).orElse("?") + " after " + letter.attempts()
                        + " attempt(s); replayed " + letter.replayCount() + " time(s) before");
                Console.line("  event       " + letter.eventType() + " " + letter.eventId() + ", key " + letter.key());
                Console.line("  payload     "
                        + new DeadLetterPayloads(new EventSerdes(connection.registry(), false), Topics.ALL)
                                .decode(letter));
                Console.line("  headers");
                letter.headers()
                        .forEach((name, value) -> Console.line(String.format("    %-34s %s", name, oneLine(value))));
            }
            return 0;
        }
    }

    /** A header as one line: a stack trace shows its first line only. */
    private static String oneLine(String value) {
        String first = value.lines().findFirst().orElse("");
        String shown = first.length() > 160 ? first.substring(0, 160) : first;
        return shown.length() < value.length() ? shown + " …" : shown;
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = "Send dead letters back to their original topics, by id or by filter (pending ones only)."
                    + " Each carries a replay count; one replayed --max-replays times already is quarantined to"
                    + " <topic>.quarantine instead. Nothing is sent if any id is unknown.")
    static final class Replay implements Callable<Integer> {

        @Mixin
        Connection connection;

        @ArgGroup(exclusive = false)
        Filter filter = new Filter();

        @Parameters(arity = "0..*", paramLabel = "ID", description = "Dead letters to replay, as list shows them.")
        List<String> ids = List.of();

        @Option(
                names = "--all",
                description = "Every pending dead letter (needed when neither ids nor a filter" + " are given).")
        boolean all;

        @Option(names = "--dry-run", description = "Show what would be replayed, and send nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            List<DeadLetterId> parsed = ids.stream().map(DeadLetterId::parse).toList();
            String verb = dryRun ? "would replay" : "replayed";
            try (DeadLetterAdmin admin = connection.admin()) {
                // Printed a chunk at a time, as it goes: a replay by filter may go through a whole topic.
                ReplayPlan.Totals totals = admin.replay(parsed, filter.query(null), all, dryRun, plan -> {
                    plan.replayed()
                            .forEach(replay -> Console.line(
                                    "  " + verb + "  " + replay.letter().id() + " -> " + replay.toTopic() + " (replay "
                                            + replay.replayCount() + ")"));
                    plan.quarantined()
                            .forEach(letter -> Console.line("  quarantined  " + letter.id() + " -> "
                                    + letter.originalTopic() + DeadLetterAdmin.QUARANTINE_SUFFIX + " (replayed "
                                    + letter.replayCount() + " times already)"));
                    plan.skipped()
                            .forEach(skip ->
                                    Console.line("  skipped   " + skip.letter().id() + ": " + skip.why()));
                });
                Console.heading((dryRun ? "Dry run: " : "") + totals.replayed() + " " + verb + ", "
                        + totals.quarantined() + (dryRun ? " would be" : "") + " quarantined, "
                        + totals.skipped() + " skipped");
            }
            return 0;
        }
    }

    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = "Delete every record of a dead-letter topic. Refused while some are pending (neither"
                    + " replayed nor quarantined), unless --force.")
    static final class Purge implements Callable<Integer> {

        @Mixin
        Connection connection;

        @Parameters(arity = "1", paramLabel = "TOPIC", description = "A topic or its dead-letter topic.")
        String topic;

        @Option(names = "--force", description = "Drop pending dead letters too: they are lost.")
        boolean force;

        @Option(names = "--dry-run", description = "Count what would go, and delete nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            try (DeadLetterAdmin admin = connection.admin()) {
                long purged = admin.purge(topic, force, dryRun);
                Console.line((dryRun ? "Would purge " : "Purged ") + purged + " dead letter(s) of " + topic);
            }
            return 0;
        }
    }

    private DlqCommand() {}
}
