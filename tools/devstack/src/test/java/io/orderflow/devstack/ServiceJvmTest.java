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

    private static final java.util.List<String> OPTIONS = java.util.List.of("-Xmx384m");

    /** How a finished dynamic archive starts (HotSpot's magic number, little-endian). */
    private static final byte[] WHOLE = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0};

    private final Instant built = Instant.parse("2026-11-30T01:00:00Z");

    @Test
    void anArchiveMadeFromTheClassPathAsItIsNowIsCurrent() throws Exception {
        String classPath = jars("a.jar", "b.jar");
        Path madeFrom = madeFrom(classPath);

        assertThat(ServiceJvm.isCurrent(archive(), madeFrom, ServiceJvm.describe(OPTIONS, classPath)))
                .isTrue();
    }

    @Test
    void aJarRebuiltSinceMakesItStaleEvenIfTheArchiveIsNewer() throws Exception {
        String classPath = jars("a.jar", "b.jar");
        Path madeFrom = madeFrom(classPath);
        // a build while the service ran: the jar changes, then the service writes its archive at its exit
        Path rebuilt = Path.of(classPath.split(File.pathSeparator)[1]);
        Files.write(rebuilt, new byte[] {1, 2});
        Files.setLastModifiedTime(rebuilt, FileTime.from(built.plusSeconds(60)));
        Path archive = archive();
        Files.setLastModifiedTime(archive, FileTime.from(built.plusSeconds(120)));

        assertThat(ServiceJvm.isCurrent(archive, madeFrom, ServiceJvm.describe(OPTIONS, classPath)))
                .isFalse();
    }

    @Test
    void noArchiveAnEmptyOneOrNoRecordOfItsClassPathIsNotCurrent() throws Exception {
        String classPath = jars("a.jar");
        String now = ServiceJvm.describe(OPTIONS, classPath);
        Path empty = directory.resolve("empty.jsa");
        Files.createFile(empty);

        assertThat(ServiceJvm.isCurrent(directory.resolve("missing.jsa"), madeFrom(classPath), now))
                .isFalse();
        assertThat(ServiceJvm.isCurrent(empty, madeFrom(classPath), now)).isFalse();
        assertThat(ServiceJvm.isCurrent(archive(), directory.resolve("none.classpath"), now))
                .isFalse();
    }

    @Test
    void anArchiveWhoseDumpWasCutOffIsNotCurrent() throws Exception {
        String classPath = jars("a.jar");
        Path madeFrom = madeFrom(classPath);
        // killed while dumping: the regions are written, the header (written last, at the start) is not
        Path archive = directory.resolve("order-service.jsa");
        Files.write(archive, new byte[4096]);

        assertThat(ServiceJvm.isCurrent(archive, madeFrom, ServiceJvm.describe(OPTIONS, classPath)))
                .isFalse();
    }

    @Test
    void otherJvmOptionsMakeItStale() throws Exception {
        String classPath = jars("a.jar");
        Path madeFrom = madeFrom(classPath);

        assertThat(ServiceJvm.isCurrent(
                        archive(), madeFrom, ServiceJvm.describe(java.util.List.of("-Xmx512m"), classPath)))
                .isFalse();
    }

    @Test
    void aJarThatIsGoneChangesTheDescription() throws Exception {
        String classPath = jars("a.jar");
        String before = ServiceJvm.describe(OPTIONS, classPath);
        Files.delete(Path.of(classPath));

        assertThat(ServiceJvm.describe(OPTIONS, classPath)).isNotEqualTo(before).contains("missing");
    }

    private Path archive() throws Exception {
        Path archive = directory.resolve("order-service.jsa");
        Files.write(archive, WHOLE);
        return archive;
    }

    private Path madeFrom(String classPath) throws Exception {
        return Files.writeString(
                directory.resolve("order-service.jsa.classpath"), ServiceJvm.describe(OPTIONS, classPath));
    }

    private String jars(String... names) throws Exception {
        StringBuilder classPath = new StringBuilder();
        for (String name : names) {
            Path jar = directory.resolve(name);
            Files.write(jar, new byte[] {1});
            Files.setLastModifiedTime(jar, FileTime.from(built));
            classPath.append(classPath.length() == 0 ? "" : File.pathSeparator).append(jar);
        }
        return classPath.toString();
    }
}
