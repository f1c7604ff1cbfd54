package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJvmTest {

    @TempDir
    Path directory;

    private final Instant built = Instant.parse("2026-11-30T01:00:00Z");

    @Test
    void anArchiveWrittenAfterEveryJarIsCurrent() throws Exception {
        String classPath = jars("a.jar", "b.jar");
        Path archive = file("order-service.jsa", built.plusSeconds(60));

        assertThat(ServiceJvm.isCurrent(archive, classPath)).isTrue();
    }

    @Test
    void aJarBuiltAfterTheArchiveMakesItStale() throws Exception {
        String classPath = jars("a.jar", "b.jar");
        Path archive = file("order-service.jsa", built.plusSeconds(60));
        Files.setLastModifiedTime(
                Path.of(classPath.split(File.pathSeparator)[1]), FileTime.from(built.plusSeconds(120)));

        assertThat(ServiceJvm.isCurrent(archive, classPath)).isFalse();
    }

    @Test
    void noArchiveOrAnEmptyOneIsNotCurrent() throws Exception {
        String classPath = jars("a.jar");
        Path empty = directory.resolve("empty.jsa");
        Files.createFile(empty);
        Files.setLastModifiedTime(empty, FileTime.from(built.plusSeconds(60)));

        assertThat(ServiceJvm.isCurrent(directory.resolve("missing.jsa"), classPath))
                .isFalse();
        assertThat(ServiceJvm.isCurrent(empty, classPath)).isFalse();
    }

    @Test
    void aClassPathEntryThatIsGoneMakesItStale() throws Exception {
        Path archive = file("order-service.jsa", built.plusSeconds(60));

        assertThat(ServiceJvm.isCurrent(archive, directory.resolve("gone.jar").toString()))
                .isFalse();
    }

    private String jars(String... names) throws Exception {
        StringBuilder classPath = new StringBuilder();
        for (String name : names) {
            Path jar = file(name, built);
            classPath.append(classPath.length() == 0 ? "" : File.pathSeparator).append(jar);
        }
        return classPath.toString();
    }

    private Path file(String name, Instant modified) throws Exception {
        Path file = directory.resolve(name);
        Files.write(file, new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
