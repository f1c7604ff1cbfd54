package io.orderflow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a service's JVM starts beyond the settings of its own ({@link ServiceName#jvmOptions()}): more options, and the
 * class path.
 *
 * @param classPath the launcher's own, or its jars alone for class-data sharing
 */
public record ServiceJvm(List<String> extraOptions, String classPath) {

    /** As {@code orderflow up} starts services: the launcher's class path, nothing added. */
    public static final ServiceJvm STANDARD = new ServiceJvm(List.of(), System.getProperty("java.class.path"));

    public ServiceJvm {
        extraOptions = List.copyOf(extraOptions);
    }

    /**
     * For a stack started again and again from the same build ({@code orderflow up}): class-data sharing from an
     * archive the service's own previous run wrote when it exited, which takes about a quarter off each start.
     * Without a current archive (the first run, or a build or JDK update since), the service runs as usual and writes
     * one when it exits: a run that is killed leaves none or half of one, which counts as none, and the next run
     * writes it. Without a packaged build (classes in directories, as an IDE builds them) class data cannot be
     * archived: {@link #STANDARD} then.
     *
     * @param directory where the archives are kept
     */
    public static ServiceJvm sharingClassDataOfItsLastRun(ServiceName service, Path directory) {
        Optional<String> jars = JavaProcess.jarClassPath(service.mainClass());
        if (jars.isEmpty()) {
            return STANDARD;
        }
        Path archive = directory.resolve(service.displayName() + ".jsa");
        Path madeFrom = directory.resolve(service.displayName() + ".jsa.classpath");
        String classPath = describe(service.jvmOptions(), jars.get());
        // The JVM checks an archive against the class path, and a stale one only costs the sharing; the messages of
        // either check, and of the dump, would land in the service's log at every start.
        List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        List<String> options = new java.util.ArrayList<>();
        try {
            if (isCurrent(archive, madeFrom, classPath)) {
                options.add("-XX:SharedArchiveFile=" + archive);
            } else {
                Files.createDirectories(directory);
                Files.deleteIfExists(archive);
                // What the archive about to be written is made from, as the jars are now: a build while the service
                // runs changes them, and the archive it writes at its exit must then not count as current.
                Files.writeString(madeFrom, classPath);
                options.add("-XX:ArchiveClassesAtExit=" + archive);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + archive, e);
        }
        options.addAll(quiet);
        return new ServiceJvm(options, jars.get());
    }

    /**
     * An archive is current when it is there and was made from the class path as it is now ({@code madeFrom} holds
     * {@link #describe} of that class path when the archive's run started).
     */
    static boolean isCurrent(Path archive, Path madeFrom, String classPathNow) {
        try {
            return Files.isRegularFile(madeFrom) && Files.readString(madeFrom).equals(classPathNow) && isWhole(archive);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** The magic number HotSpot writes at the start of a dynamic archive, little-endian, once the dump is done. */
    private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;

    /**
     * Whether the archive's dump finished: the JVM writes the header, at the start of the file, last. A service
     * killed while it dumps leaves a file without it, which a JVM would refuse at every start (and then share
     * nothing at all, not even the JDK's own classes).
     */
    private static boolean isWhole(Path archive) throws java.io.IOException {
        if (!Files.isRegularFile(archive) || Files.size(archive) < 4) {
            return false;
        }
        try (java.io.InputStream in = Files.newInputStream(archive)) {
            byte[] start = in.readNBytes(4);
            int magic = java.nio.ByteBuffer.wrap(start)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getInt();
            return magic == DYNAMIC_ARCHIVE_MAGIC;
        }
    }

    /**
     * The JVM (an archive is refused by any other build of it), its options, and each jar of a class path with its
     * size and last modification: what an update of the JDK, a change of settings or a rebuild changes.
     */
    static String describe(List<String> options, String classPath) {
        StringBuilder description = new StringBuilder()
                .append(System.getProperty("java.home"))
                .append(' ')
                .append(System.getProperty("java.vm.version"))
                .append('\n')
                .append(String.join(" ", options))
                .append('\n');
        for (String jar : classPath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(jar);
            try {
                description
                        .append(jar)
                        .append(' ')
                        .append(Files.size(path))
                        .append(' ')
                        .append(Files.getLastModifiedTime(path).toMillis())
                        .append('\n');
            } catch (java.io.IOException e) {
                description.append(jar).append(" missing\n");
            }
        }
        return description.toString();
    }

    /**
     * A service that starts for a fraction of the usual CPU, for runs that restart services by the hundred: an
     * application class-data archive made for it here by a training run that starts the service on {@code
     * environment} and exits once its context is refreshed (Spring's {@code spring.context.exit=onRefresh}). With
     * the client compiler every service runs on, a start then takes about 3 CPU-seconds instead of 5-7. Without a
     * packaged build (classes in directories, as an IDE builds them) class data cannot be archived: {@link #STANDARD}
     * then.
     *
     * @param directory where the archive and the training run's log go
     */
    public static ServiceJvm quickStarting(ServiceName service, Path directory, Map<String, String> environment) {
        Optional<String> jars = JavaProcess.jarClassPath(service.mainClass());
        if (jars.isEmpty()) {
            return STANDARD;
        }
        Path archive = directory.resolve(service.displayName() + ".jsa");
        List<String> options = new java.util.ArrayList<>(service.jvmOptions());
        options.add("-XX:ArchiveClassesAtExit=" + archive);
        options.add("-Dspring.context.exit=onRefresh");
        Map<String, String> env = new HashMap<>(environment);
        env.put("PORT", "0");
        Process training = JavaProcess.start(
                service.displayName() + "-training",
                service.mainClass(),
                options,
                jars.get(),
                List.of(),
                env,
                directory.resolve(service.displayName() + "-training.log"));
        try {
            int exit = training.waitFor();
            if (exit != 0 || !Files.isRegularFile(archive)) {
                throw new IllegalStateException("the training run of " + service.displayName() + " exited with " + exit
                        + " and no archive; see " + directory.resolve(service.displayName() + "-training.log"));
            }
        } catch (InterruptedException e) {
            training.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training " + service.displayName(), e);
        }
        return new ServiceJvm(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"), jars.get());
    }
}
