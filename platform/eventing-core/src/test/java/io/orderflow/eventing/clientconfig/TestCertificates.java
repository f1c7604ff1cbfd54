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
        TestCertificates made = new TestCertificates(directory);
        String local = "ip:127.0.0.1,dns:localhost";
        keyPair("server", local, made.serverKeystore(), made.serverPem());
        keytool(
                "-importcert -noprompt -alias server -storetype PKCS12",
                "-file",
                made.serverPem(),
                "-keystore",
                made.serverTruststorePkcs12());
        keytool(
                "-importcert -noprompt -alias server -storetype JKS",
                "-file",
                made.serverPem(),
                "-keystore",
                made.serverTruststoreJks());
        keyPair("other", local, directory.resolve("other.p12"), made.otherPem());
        keyPair("misnamed", "dns:elsewhere.orderflow.test", made.misnamedKeystore(), made.misnamedPem());
        return made;
    }

    /** A self-signed key and certificate for these names in a keystore, and the certificate as PEM. */
    private static void keyPair(String alias, String names, Path keystore, Path pem) {
        keytool(
                "-genkeypair -keyalg EC -groupname secp256r1 -validity 2 -storetype PKCS12 -alias " + alias,
                "-dname",
                "CN=" + alias + ".orderflow.test",
                "-ext",
                "san=" + names,
                "-keystore",
                keystore,
                "-keypass",
                PASSWORD);
        keytool("-exportcert -rfc -alias " + alias, "-keystore", keystore, "-file", pem);
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

    /** A key and certificate for another host (elsewhere.orderflow.test), not 127.0.0.1 (PKCS12). */
    public Path misnamedKeystore() {
        return directory.resolve("misnamed.p12");
    }

    /** The misnamed certificate, as PEM: trusting it trusts its CA, not a server on 127.0.0.1 that shows it. */
    public Path misnamedPem() {
        return directory.resolve("misnamed.pem");
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

    /** Runs keytool: the first argument is split at spaces, the others (paths, names) are taken whole. */
    private static void keytool(String options, Object... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(options.split(" ")));
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        command.addAll(List.of("-storepass", PASSWORD));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + options + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
