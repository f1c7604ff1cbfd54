package io.orderflow.apidocs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node.js script of this repository with its npm packages, run by a test. Without Node.js, or with the packages not
 * installed ({@code npm ci --ignore-scripts} in the script's directory), the test is skipped, unless {@value #REQUIRED}
 * is {@code required} (as CI sets it, after installing both), when it fails saying what is missing.
 */
public final class NodeScript {

    public static final String REQUIRED = "ORDERFLOW_NODE_TESTS";

    private final Path script;

    private NodeScript(Path script) {
        this.script = script;
    }

    /** What the script printed (standard output and error, interleaved) and how it ended. */
    public record Run(int exitCode, String output) {
        public List<String> lines() {
            return output.lines().toList();
        }
    }

    /**
     * The script, once Node.js and the package it needs are there; skips or fails the calling test otherwise.
     *
     * @param directory a directory of the repository, found from the working directory upwards
     * @param package_  a package the script imports, which {@code npm ci} puts in {@code node_modules}
     */
    public static NodeScript in(String directory, String script, String package_) {
        Path found = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && found == null; dir = dir.getParent()) {
            Path candidate = dir.resolve(directory);
            if (Files.isRegularFile(candidate.resolve(script))) {
                found = candidate;
            }
        }
        String missing = null;
        if (found == null) {
            missing = directory + "/" + script + " is not in this directory or above it";
        } else if (!Files.isDirectory(found.resolve("node_modules").resolve(package_))) {
            missing = package_ + " is not installed: run `npm ci --ignore-scripts` in " + found;
        } else if (!nodeRuns()) {
            missing = "Node.js (`node`) is not on the PATH";
        }
        if (missing != null) {
            if ("required".equals(System.getenv(REQUIRED))) {
                throw new IllegalStateException(missing + " (" + REQUIRED + "=required)");
            }
            Assumptions.abort(missing + "; set " + REQUIRED + "=required to fail instead of skipping");
        }
        return new NodeScript(found.resolve(script));
    }

    /** Runs the script to its end; one that has not ended within {@code timeout} is killed and fails the test. */
    public Run run(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("node", ".out");
            try {
                Process node = new ProcessBuilder(command)
                        .directory(script.getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    node.destroyForcibly().waitFor();
                    throw new AssertionError(script.getFileName() + " did not end in " + timeout + "; it printed: "
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Run(node.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean nodeRuns() {
        try {
            Process node = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            node.getInputStream().readAllBytes();
            return node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
