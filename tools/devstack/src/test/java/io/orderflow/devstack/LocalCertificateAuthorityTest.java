package io.orderflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @TempDir
    Path directory;

    @Test
    void theAuthorityIsMadeOnceAndFoundAgainInItsDirectory() throws Exception {
        LocalCertificateAuthority first = LocalCertificateAuthority.openOrCreate(directory);
        byte[] pem = Files.readAllBytes(first.certificateFile());

        LocalCertificateAuthority again = LocalCertificateAuthority.openOrCreate(directory);

        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(Files.readAllBytes(again.certificateFile())).isEqualTo(pem);
        assertThat(new String(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(first.certificate().getBasicConstraints()).isEqualTo(0);
        // A server certificate issued by the reopened authority chains to the certificate clients already have.
        X509Certificate issued = again.issueServerKeystore(directory.resolve("server.p12"), "registry")
                .certificate();
        validate(issued, certificateIn(first.certificateFile()));
    }

    @Test
    void aServerCertificateNamesTheLocalHostIsSignedByTheAuthorityAndComesInAKeystoreWithItsChain() throws Exception {
        LocalCertificateAuthority authority = LocalCertificateAuthority.openOrCreate(directory);

        LocalCertificateAuthority.Keystore keystore =
                authority.issueServerKeystore(directory.resolve("registry.p12"), "schema-registry");

        KeyStore store = KeyStore.getInstance(LocalCertificateAuthority.Keystore.TYPE);
        try (InputStream in = Files.newInputStream(keystore.path())) {
            store.load(in, keystore.password().toCharArray());
        }
        assertThat(store.isKeyEntry(LocalCertificateAuthority.Keystore.ALIAS)).isTrue();
        assertThat(store.getCertificateChain(LocalCertificateAuthority.Keystore.ALIAS))
                .containsExactly(keystore.certificate(), authority.certificate());
        X509Certificate certificate = keystore.certificate();
        assertThat(certificate.getSubjectX500Principal().getName()).startsWith("CN=schema-registry,");
        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(DNS_NAME, "localhost"), List.of(IP_ADDRESS, "127.0.0.1"));
        assertThat(certificate.getExtendedKeyUsage())
                .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"); // server and client auth
        validate(certificate, authority.certificate());
        assertThat(keystore.password()).hasSize(32).matches("[A-Za-z0-9]+");
    }

    @Test
    void anotherAuthoritysCertificateDoesNotValidate() throws Exception {
        LocalCertificateAuthority ours = LocalCertificateAuthority.openOrCreate(directory.resolve("ours"));
        LocalCertificateAuthority theirs = LocalCertificateAuthority.openOrCreate(directory.resolve("theirs"));

        X509Certificate certificate = theirs.issueServerKeystore(directory.resolve("theirs.p12"), "broker")
                .certificate();

        assertThat(ours.certificate()).isNotEqualTo(theirs.certificate());
        assertThat(ours.signed(certificate)).isFalse();
        assertThatThrownBy(() -> validate(certificate, ours.certificate()))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void keysAndKeystoresAreTheirOwnersOnly() throws Exception {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        LocalCertificateAuthority authority = LocalCertificateAuthority.openOrCreate(directory.resolve("ca"));
        Path keystore = authority
                .issueServerKeystore(directory.resolve("ca").resolve("node.p12"), "broker")
                .path();

        assertThat(Files.getPosixFilePermissions(directory.resolve("ca")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (Path secret : List.of(directory.resolve("ca").resolve(LocalCertificateAuthority.KEY_FILE), keystore)) {
            assertThat(Files.getPosixFilePermissions(secret))
                    .as(secret.toString())
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static void validate(X509Certificate certificate, X509Certificate authority) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(authority, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(factory.generateCertPath(Arrays.asList(certificate)), parameters);
    }

    private static X509Certificate certificateIn(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
