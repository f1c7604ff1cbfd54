package io.orderflow.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * The RSA key that signs every token, kept as a JSON Web Key (private parts included) in a file of its owner's only:
 * created on the first start, reused after, so that tokens outlive a restart of the server. Its key id is its
 * RFC 7638 thumbprint, so the same key always has the same {@code kid}.
 */
public final class SigningKey {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SigningKey() {}

    /** The key in {@code file}, created (RSA 2048, owner-only file) when the file does not exist yet. */
    public static RSAKey loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        RSAKey key = generate();
        write(file, key);
        return key;
    }

    /**
     * Reads the key in {@code file}, with its private parts: what a test needs to sign tokens the server would
     * have signed, such as expired ones or ones for another audience.
     */
    public static RSAKey read(Path file) {
        try {
            RSAKey key = RSAKey.parse(Files.readString(file));
            if (!key.isPrivate()) {
                throw new IllegalStateException("signing key file " + file + " holds no private key");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing key file " + file + ": " + e, e);
        } catch (ParseException e) {
            throw new IllegalStateException(
                    "signing key file " + file + " is not an RSA JSON Web Key: " + e.getMessage(), e);
        }
    }

    static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** Written whole or not at all: into an owner-only file beside it first, then moved into place. */
    private static void write(Path file, RSAKey key) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
            Path temporary = POSIX
                    ? Files.createTempFile(
                            directory,
                            ".signing-key",
                            ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(directory, ".signing-key", ".tmp");
            try {
                Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write signing key file " + file + ": " + e, e);
        }
    }
}
