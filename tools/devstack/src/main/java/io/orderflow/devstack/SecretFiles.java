package io.orderflow.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Files that hold keys and passwords: readable and writable by their owner only where the file system knows POSIX
 * permissions (elsewhere they get the file system's defaults), created so from the start, never widened later.
 */
public final class SecretFiles {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final String PASSWORD_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {}

    /**
     * A random password of letters and digits only, so that it needs no quoting anywhere it goes (JAAS, a
     * properties file, {@code kafka-storage format --add-scram}); 32 of them are about 187 bits.
     */
    public static String randomPassword() {
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(PASSWORD_CHARACTERS.charAt(RANDOM.nextInt(PASSWORD_CHARACTERS.length())));
        }
        return password.toString();
    }

    /** Creates the directory (and its parents) when missing; the directory itself is its owner's only. */
    public static Path directory(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory.getParent());
                if (POSIX) {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
                } else {
                    Files.createDirectory(directory);
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    public static void write(Path file, String content) {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the file, created owner-only when it is new and made owner-only when it was not. */
    public static void write(Path file, byte[] content) {
        try {
            ownerOnly(file);
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Creates the file empty and owner-only when missing, or takes every other's rights on it away. */
    public static Path ownerOnly(Path file) {
        try {
            if (!Files.exists(file)) {
                if (POSIX) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
                } else {
                    Files.createFile(file);
                }
            } else if (POSIX) {
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }
}
