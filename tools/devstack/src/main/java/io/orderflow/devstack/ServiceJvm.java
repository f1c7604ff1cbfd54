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

    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    /**
     * Only the client compiler: a start costs half the CPU, and what runs is the same code, compiled less hard.
     */
    public static final ServiceJvm CLIENT_COMPILER =
            new ServiceJvm(List.of(C1_ONLY), System.getProperty("java.class.path"));

    public ServiceJvm {
        extraOptions = List.copyOf(extraOptions);
    }

    /**
     * A service that starts for a fraction of the usual CPU, for runs that restart services by the hundred: the client
     * compiler alone, and an application class-data archive made for it here by a training run that starts the
     * service on {@code environment} and exits once its context is refreshed (Spring's {@code
     * spring.context.exit=onRefresh}). Together they take a start from about 10 to about 3 CPU-seconds. Without a
     * packaged build (classes in directories, as an IDE builds them) class data cannot be archived: the client
     * compiler alone then.
     *
     * @param directory where the archive and the training run's log go
     */
    public static ServiceJvm quickStarting(ServiceName service, Path directory, Map<String, String> environment) {
        Optional<String> jars = JavaProcess.jarClassPath(service.mainClass());
        if (jars.isEmpty()) {
            return CLIENT_COMPILER;
        }
        Path archive = directory.resolve(service.displayName() + ".jsa");
        List<String> options = new java.util.ArrayList<>(service.jvmOptions());
        options.add(C1_ONLY);
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
        return new ServiceJvm(List.of(C1_ONLY, "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"), jars.get());
    }
}
