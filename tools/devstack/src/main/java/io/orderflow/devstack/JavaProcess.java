package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a child JVM on this JVM's class path, so that it can be killed and restarted on its own. */
public final class JavaProcess {
    private JavaProcess() {}

    /**
     * The mark a child JVM carries at the start of its command line, before the long class path, where the JDK still
     * sees it: {@link PidFile} checks it before stopping a leftover process.
     */
    public static String roleMark(String role) {
        return "-Dorderflow.process=" + role;
    }

    public static Process start(
            String role,
            String mainClass,
            List<String> jvmOptions,
            List<String> args,
            Map<String, String> env,
            Path log) {
        return start(role, mainClass, jvmOptions, System.getProperty("java.class.path"), args, env, log);
    }

    /** As {@link #start(String, String, List, List, Map, Path)}, on another class path. */
    public static Process start(
            String role,
            String mainClass,
            List<String> jvmOptions,
            String classPath,
            List<String> args,
            Map<String, String> env,
            Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(roleMark(role));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /**
     * The jars of this JVM's class path, without its directories, when {@code mainClass} comes from one of them (a
     * packaged build): what class-data sharing needs, as it archives classes from jars alone. Empty when the class
     * comes from a directory (an IDE's build).
     */
    public static java.util.Optional<String> jarClassPath(String mainClass) {
        java.net.URL found = ClassLoader.getSystemResource(mainClass.replace('.', '/') + ".class");
        if (found == null || !found.getProtocol().equals("jar")) {
            return java.util.Optional.empty();
        }
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(entry);
            }
        }
        return java.util.Optional.of(String.join(java.io.File.pathSeparator, jars));
    }

    /** Runs a child JVM to completion and fails with its log when it does not exit with 0. */
    public static void run(String role, String mainClass, List<String> jvmOptions, List<String> args, Path log) {
        run(role, mainClass, jvmOptions, args, Map.of(), log);
    }

    /** As {@link #run(String, String, List, List, Path)}, with variables added to the child's environment. */
    public static void run(
            String role,
            String mainClass,
            List<String> jvmOptions,
            List<String> args,
            Map<String, String> env,
            Path log) {
        Process process = start(role, mainClass, jvmOptions, args, env, log);
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(mainClass + " " + args + " exited with " + exit + "; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
    }
}
