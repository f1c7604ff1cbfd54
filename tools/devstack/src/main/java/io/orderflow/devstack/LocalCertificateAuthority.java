package io.orderflow.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local stack's own certificate authority: a key and a self-signed certificate made once in a directory and
 * found there again at every later start, so that clients given its certificate earlier go on trusting the servers
 * it signs. It issues the certificates of the Kafka nodes and of any other local server (the schema registry), each
 * naming {@code 127.0.0.1} and {@code localhost} so that clients verify the host name as they should.
 *
 * <p>The certificate is {@value #CERTIFICATE_FILE}, in PEM, which Java ({@code ssl.truststore.type=PEM}) and Node.js
 * clients both read; the key is {@value #KEY_FILE} (PKCS #8, PEM), its owner's only.
 */
public final class LocalCertificateAuthority {

    public static final String CERTIFICATE_FILE = "ca.pem";
    static final String KEY_FILE = "ca-key.pem";
    /** The host names of every local server: clients reach them by either. */
    public static final List<String> LOCAL_DNS_NAMES = List.of("localhost");

    public static final List<String> LOCAL_IP_ADDRESSES = List.of("127.0.0.1");

    private static final String ORGANIZATION = "Orderflow devstack";
    private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(2 * 365);
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path certificateFile;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private LocalCertificateAuthority(Path certificateFile, PrivateKey key, X509Certificate certificate) {
        this.certificateFile = certificateFile;
        this.key = key;
        this.certificate = certificate;
    }

    /** The authority kept in {@code directory}, made there first when the directory has none. */
    public static LocalCertificateAuthority openOrCreate(Path directory) {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        try {
            if (Files.exists(certificateFile) && Files.exists(keyFile)) {
                return new LocalCertificateAuthority(
                        certificateFile.toAbsolutePath(), readKey(keyFile), readCertificate(certificateFile));
            }
            SecretFiles.directory(directory);
            KeyPair pair = newKeyPair();
            X500Name subject = name("Orderflow local CA " + HexFormat.of().formatHex(randomBytes(4)), null);
            Instant now = Instant.now();
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serialNumber(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(now.plus(CA_VALIDITY)),
                            subject,
                            pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = sign(builder, pair.getPrivate());
            SecretFiles.write(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
            Files.writeString(certificateFile, pem(certificate));
            return new LocalCertificateAuthority(certificateFile.toAbsolutePath(), pair.getPrivate(), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the certificate authority in " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate authority in " + directory, e);
        }
    }

    /** The authority's certificate (PEM), the one thing a client needs to trust every server it signed. */
    public Path certificateFile() {
        return certificateFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A key and a certificate for a server on this machine ({@code 127.0.0.1}, {@code localhost}), signed by this
     * authority, in a new PKCS #12 key store with a random password: for the schema registry's HTTPS, say.
     *
     * @param commonName the subject's CN, which Kafka's {@code ssl.principal.mapping.rules} can take as the principal
     */
    public Keystore issueServerKeystore(Path file, String commonName) {
        return issueKeystore(file, commonName, LOCAL_DNS_NAMES, LOCAL_IP_ADDRESSES);
    }

    /**
     * As {@link #issueServerKeystore}, for the given names: the certificate is good for TLS servers and clients
     * (Kafka nodes are both to each other). The store holds the key under the alias {@value Keystore#ALIAS} and the
     * chain up to this authority.
     */
    public Keystore issueKeystore(Path file, String commonName, List<String> dnsNames, List<String> ipAddresses) {
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            certificate,
                            serialNumber(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(now.plus(SERVER_VALIDITY)),
                            name(commonName, "local servers"),
                            pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
                    .addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            X509Certificate issued = sign(builder, key);
            String password = SecretFiles.randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    Keystore.ALIAS, pair.getPrivate(), password.toCharArray(), new Certificate[] {issued, certificate});
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password.toCharArray());
            SecretFiles.write(file, bytes.toByteArray());
            return new Keystore(file.toAbsolutePath(), password, issued);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key store " + file, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /**
     * A PKCS #12 key store (key, certificate, chain) and its password: {@code ssl.keystore.location},
     * {@code ssl.keystore.password} and {@code ssl.key.password} (the same) of a Kafka listener, or an
     * {@code HttpsServer}'s {@code KeyManagerFactory}.
     */
    public record Keystore(Path path, String password, X509Certificate certificate) {

        public static final String TYPE = "PKCS12";
        public static final String ALIAS = "server";

        @Override
        public String toString() {
            return "Keystore[" + path + "]";
        }
    }

    private static X500Name name(String commonName, String unit) {
        // Most significant first: RFC 2253 (X500Principal.getName(), which Kafka maps) prints it the other way round,
        // "CN=…,OU=…,O=…".
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANIZATION);
        if (unit != null) {
            name.addRDN(BCStyle.OU, unit);
        }
        return name.addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        // EC P-256: made in a millisecond where RSA takes a good part of a second, and every TLS stack reads it.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE).build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static BigInteger serialNumber() {
        return new BigInteger(1, randomBytes(16));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String pem(Object object) throws IOException {
        // A key goes in as a JcaPKCS8Generator: PKCS #8 ("PRIVATE KEY"), which every TLS stack reads.
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof org.bouncycastle.cert.X509CertificateHolder holder)) {
                throw new IOException(file + " holds no certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new IOException(file + " holds no private key");
        }
    }

    /** Whether the certificate was signed by this authority's key. */
    boolean signed(X509Certificate issued) {
        try {
            PublicKey publicKey = certificate.getPublicKey();
            issued.verify(publicKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
