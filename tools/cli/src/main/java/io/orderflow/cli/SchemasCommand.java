package io.orderflow.cli;

import io.orderflow.contracts.Topics;
import io.orderflow.eventing.clientconfig.ClientConfig;
import io.orderflow.eventing.serde.EventSerde;
import io.orderflow.eventing.serde.EventTypes;
import io.orderflow.eventing.serde.SchemaRegistryClient;
import io.orderflow.eventing.serde.SchemaRegistryException;
import io.orderflow.eventing.serde.SchemaRegistryUnavailableException;
import io.orderflow.eventing.topic.Topic;
import io.orderflow.registry.CompatibilityLevel;
import io.orderflow.registry.ReleasedSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The contracts' schemas: register them with a registry, check them against their released versions, release. */
@Command(
        name = "schemas",
        mixinStandardHelpOptions = true,
        description = "Register, check and release the event schemas.",
        subcommands = {SchemasCommand.Register.class, SchemasCommand.Check.class, SchemasCommand.Release.class})
final class SchemasCommand {

    /** Where the contracts module lives, from the project's root. */
    static final Path CONTRACTS = Path.of("platform", "contracts");

    /** The project's root: the launcher runs from it, tests name it. */
    static final class Root {
        @Option(
                names = "--root",
                defaultValue = ".",
                description = "The project's root directory (default: the current directory).")
        Path root;
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = "Register every contract schema under its subject (<topic>-<record>), as a deploy does"
                    + " before the services start with auto-registration off. Exit 1 when the registry refuses one.")
    static final class Register implements Callable<Integer> {

        @Option(
                names = "--registry",
                description = "Registry URL (default: $SCHEMA_REGISTRY_URL, else schema.registry.url of the file"
                        + " $ORDERFLOW_CLIENT_CONFIG names, else http://127.0.0.1:8086). The file's user and"
                        + " truststore apply either way.")
        String registryUrl;

        /** The environment's variables; a test's own. */
        Function<String, String> variables = System::getenv;

        @Override
        public Integer call() {
            ClientConfig config = ClientConfig.fromEnvironment(variables);
            String url =
                    registryUrl != null ? registryUrl : config.registryUrl().orElse("http://127.0.0.1:8086");
            SchemaRegistryClient registry =
                    new SchemaRegistryClient(url, Duration.ofSeconds(10), config.registryAccess());
            Console.heading("Registering the contract schemas with " + url
                    + config.registryAccess().user().map(user -> " as " + user).orElse(""));
            int refused = 0;
            for (Topic topic : Topics.ALL) {
                for (var type : topic.eventTypes().classes()) {
                    Schema schema = EventTypes.schemaOf(type);
                    String subject = EventSerde.subject(topic.name(), schema);
                    try {
                        int id = registry.register(subject, schema);
                        Console.line(String.format("  %-64s id %d", subject, id));
                    } catch (SchemaRegistryException e) {
                        refused++;
                        Console.line(String.format(
                                "  %-64s REFUSED (HTTP %d, error %d): %s",
                                subject, e.status(), e.errorCode(), e.getMessage()));
                    } catch (SchemaRegistryUnavailableException e) {
                        Console.line("  cannot reach the registry: " + e.getMessage());
                        return 2;
                    }
                }
            }
            if (refused > 0) {
                Console.line(refused + " schema(s) refused; nothing else was changed.");
                return 1;
            }
            return 0;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Check every contract schema against its released versions, as the build does.")
    static final class Check implements Callable<Integer> {

        @Mixin
        Root root;

        @Option(
                names = "--level",
                defaultValue = "FULL_TRANSITIVE",
                description = "Compatibility level (default ${DEFAULT-VALUE}, as the build).")
        String level;

        @Override
        public Integer call() {
            return run(root.root, level, false);
        }
    }

    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = "Check, then keep each changed contract schema as its next released version under"
                    + " platform/contracts/src/released (commit the new files).")
    static final class Release implements Callable<Integer> {

        @Mixin
        Root root;

        @Option(
                names = "--level",
                defaultValue = "FULL_TRANSITIVE",
                description = "Compatibility level (default ${DEFAULT-VALUE}, as the build).")
        String level;

        @Override
        public Integer call() {
            return run(root.root, level, true);
        }
    }

    private static int run(Path root, String levelName, boolean release) {
        Path contracts = root.resolve(CONTRACTS);
        Path sources = contracts.resolve(Path.of("src", "main", "avro"));
        if (!Files.isDirectory(sources)) {
            Console.line("Run this from the project root: " + sources.toAbsolutePath() + " does not exist.");
            return 2;
        }
        var level = CompatibilityLevel.parse(levelName);
        if (level.isEmpty()) {
            Console.line(
                    "Unknown compatibility level '" + levelName + "'; one of " + List.of(CompatibilityLevel.values()));
            return 2;
        }
        ReleasedSchemas schemas =
                new ReleasedSchemas(sources, contracts.resolve(Path.of("src", "released")), level.get());
        try {
            List<String> report = release ? schemas.release() : schemas.check();
            report.forEach(line -> Console.line("  " + line));
            if (release && report.isEmpty()) {
                Console.line("  nothing changed since the last release");
            }
            return 0;
        } catch (IllegalStateException e) {
            Console.line(e.getMessage());
            return 1;
        }
    }
}
