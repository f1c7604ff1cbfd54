package io.orderflow.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The build-time guard of the contracts: every {@code .avsc} of the source tree is checked against all its released
 * versions, kept in the repository as {@code <released>/<full name>/v<n>.avsc}, under a compatibility level, so an
 * incompatible change fails the build naming the field long before a registry would refuse it. {@code release}
 * snapshots the schemas that changed as their next version.
 *
 * <p>Usage: {@code ReleasedSchemas check|release <avro source dir> <released dir> <level>}.
 */
public final class ReleasedSchemas {

    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    private final Path sources;
    private final Path released;
    private final CompatibilityLevel level;

    public ReleasedSchemas(Path sources, Path released, CompatibilityLevel level) {
        this.sources = sources;
        this.released = released;
        this.level = level;
    }

    public static void main(String[] args) {
        if (args.length != 4 || !(args[0].equals("check") || args[0].equals("release"))) {
            throw new IllegalArgumentException(
                    "usage: ReleasedSchemas check|release <avro source dir> <released dir> <compatibility level>");
        }
        CompatibilityLevel level = CompatibilityLevel.parse(args[3])
                .orElseThrow(() -> new IllegalArgumentException("unknown compatibility level " + args[3]));
        ReleasedSchemas schemas = new ReleasedSchemas(Path.of(args[1]), Path.of(args[2]), level);
        List<String> report = args[0].equals("check") ? schemas.check() : schemas.release();
        report.forEach(line -> System.out.println("[schemas] " + line));
    }

    /**
     * @return one line per schema saying how it compares
     * @throws IllegalStateException naming every incompatible schema, field and version
     */
    public List<String> check() {
        List<String> report = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Schema schema : currentSchemas().values()) {
            List<CompatibilityLevel.Versioned> versions = releasedVersions(schema.getFullName());
            if (versions.isEmpty()) {
                report.add(schema.getFullName() + ": not released yet");
                continue;
            }
            List<String> found = level.check(schema, versions);
            if (found.isEmpty()) {
                int latest = versions.get(versions.size() - 1).version();
                report.add(schema.getFullName() + ": compatible with released "
                        + (latest == 1 ? "v1" : "v1..v" + latest) + " under " + level);
            } else {
                found.forEach(problem -> problems.add(schema.getFullName() + ": " + problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("incompatible schema change under " + level + " (released versions in "
                    + released + "):\n  " + String.join("\n  ", problems));
        }
        return report;
    }

    /** Writes each schema that differs from its latest released version as the next version. */
    public List<String> release() {
        check();
        List<String> report = new ArrayList<>();
        for (Schema schema : currentSchemas().values()) {
            List<CompatibilityLevel.Versioned> versions = releasedVersions(schema.getFullName());
            if (!versions.isEmpty()
                    && versions.get(versions.size() - 1).schema().equals(schema)) {
                continue;
            }
            int next =
                    versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
            Path file = released.resolve(schema.getFullName()).resolve("v" + next + ".avsc");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, schema.toString(true) + System.lineSeparator());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            report.add(schema.getFullName() + ": released as " + released.relativize(file));
        }
        return report;
    }

    /** The top-level schema of every source file by full name; files may use types defined in other files. */
    Map<String, Schema> currentSchemas() {
        List<Path> pending;
        try (Stream<Path> files = Files.walk(sources)) {
            pending = files.filter(file -> file.toString().endsWith(".avsc"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources, e);
        }
        List<Path> ordered = new ArrayList<>();
        List<Path> remaining = new ArrayList<>(pending);
        while (!remaining.isEmpty()) {
            Path next = null;
            for (Path candidate : remaining) {
                if (parseAll(append(ordered, candidate)) != null) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) {
                parseAllOrFail(append(ordered, remaining.get(0)));
            }
            ordered.add(next);
            remaining.remove(next);
        }
        return parseAll(ordered);
    }

    private static List<Path> append(List<Path> files, Path file) {
        List<Path> all = new ArrayList<>(files);
        all.add(file);
        return all;
    }

    private static Map<String, Schema> parseAll(List<Path> files) {
        try {
            return parseAllOrFail(files);
        } catch (SchemaParseException e) {
            return null;
        }
    }

    private static Map<String, Schema> parseAllOrFail(List<Path> files) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                Schema schema = parser.parse(file.toFile());
                schemas.put(schema.getFullName(), schema);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            } catch (SchemaParseException e) {
                throw new SchemaParseException(file + ": " + e.getMessage());
            }
        }
        return schemas;
    }

    private List<CompatibilityLevel.Versioned> releasedVersions(String fullName) {
        Path directory = released.resolve(fullName);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> {
                        Matcher matcher =
                                VERSION_FILE.matcher(file.getFileName().toString());
                        if (!matcher.matches()) {
                            throw new IllegalStateException(file + " is not named v<n>.avsc");
                        }
                        try {
                            return new CompatibilityLevel.Versioned(
                                    Integer.parseInt(matcher.group(1)), new Schema.Parser().parse(file.toFile()));
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + file, e);
                        }
                    })
                    .sorted(Comparator.comparingInt(CompatibilityLevel.Versioned::version))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
