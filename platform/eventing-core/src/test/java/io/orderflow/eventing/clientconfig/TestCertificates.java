package io.orderflow.eventing.clientconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made once per JVM by the JDK's own {@code keytool}: a self-signed server certificate
 * for 127.0.0.1 and localhost, which is its own CA, in a PKCS12 keystore; truststores that hold it as PEM, PKCS12
 * and JKS; and an unrelated certificate, a CA the server does not come from. Test-only: a real deployment has a CA.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store-secret";

    private static TestCertificates shared;

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** The certificates of this JVM's tests, made at the first call. */
    public static synchronized TestCertificates get() {
        if (shared == null) {
            try {
                Path directory = Files.createTempDirectory("orderflow-certificates-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
                shared = make(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static TestCertificates make(Path directory) {
        TestCertificates certificates = new TestCertificates(directory);
        certificates.keyPair("server", certificates.serverKeystore());
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                certificates.serverKeystore(),
                "-storepass",
                PASSWORD,
                "-file",
                certificates.serverPem());
        for (var store : List.of(
                List.of("PKCS12", certificates.serverTruststorePkcs12()),
                List.of("JKS", certificates.serverTruststoreJks()))) {
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "server",
                    "-file",
                    certificates.serverPem(),
                    "-keystore",
                    store.get(1),
                    "-storetype",
                    store.get(0),
                    "-storepass",
                    PASSWORD);
        }
        Path other = directory.resolve("other.p12");
        certificates.keyPair("other", other);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "other",
                "-keystore",
                other,
                "-storepass",
                PASSWORD,
                "-file",
                certificates.otherPem());
        return certificates;
    }

    private void keyPair(String alias, Path keystore) {
        keytool(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + alias + ".orderflow.test",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                keystore,
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
    }

    /** The server's key and certificate (PKCS12, {@link #PASSWORD}). */
    public Path serverKeystore() {
        return directory.resolve("server.p12");
    }

    /** The server's certificate, the CA to trust, as PEM. */
    public Path serverPem() {
        return directory.resolve("server.pem");
    }

    public Path serverTruststorePkcs12() {
        return directory.resolve("server-trust.p12");
    }

    public Path serverTruststoreJks() {
        return directory.resolve("server-trust.jks");
    }

    /** A certificate that did not sign the server's, as PEM. */
    public Path otherPem() {
        return directory.resolve("other.pem");
    }

    private static void delete(Path directory) {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private static void keytool(Object... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
