package io.orderflow.eventing.clientconfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a client trusts when it connects over TLS: a file of type PEM (one or more certificates, no
 * password), PKCS12 or JKS. A private CA goes here; without a truststore the JDK's own CAs are trusted.
 *
 * @param location the file
 * @param type     PEM, PKCS12 or JKS
 * @param password the file's password (PKCS12, JKS); null when it has none
 */
public record Truststore(Path location, String type, String password) {

    public static final String PEM = "PEM";
    public static final String PKCS12 = "PKCS12";
    public static final String JKS = "JKS";
    public static final List<String> TYPES = List.of(PEM, PKCS12, JKS);

    public Truststore {
        if (location == null) {
            throw new ClientConfigException("a truststore needs a location");
        }
        String given = type == null || type.isBlank() ? JKS : type.trim().toUpperCase(Locale.ROOT);
        if (!TYPES.contains(given)) {
            throw new ClientConfigException("truststore type " + type.trim() + " of " + location + " is not one of "
                    + String.join(", ", TYPES));
        }
        type = given;
        password = password == null || password.isEmpty() ? null : password;
    }

    /** A truststore of a type named by the file's extension: .pem and .crt PEM, .jks JKS, PKCS12 otherwise. */
    public static Truststore of(Path location, String password) {
        String name = location.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".pem") || name.endsWith(".crt") ? PEM : name.endsWith(".jks") ? JKS : PKCS12;
        return new Truststore(location, type, password);
    }

    /**
     * The trusted certificates.
     *
     * @throws ClientConfigException when the file is missing or unreadable, is not of its type, its password is
     *                               wrong, or it holds no certificate
     */
    public KeyStore load() {
        byte[] content;
        try {
            content = Files.readAllBytes(location);
        } catch (NoSuchFileException e) {
            throw new ClientConfigException("truststore " + location + " does not exist");
        } catch (AccessDeniedException e) {
            throw new ClientConfigException("truststore " + location + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new ClientConfigException("truststore " + location + " cannot be read: " + e.getMessage(), e);
        }
        KeyStore store = type.equals(PEM) ? pem(content) : keyStore(content);
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isCertificate(store, alias))) {
                throw new ClientConfigException("truststore " + location + " (" + type + ") holds no certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new ClientConfigException("truststore " + location + " cannot be read: " + e.getMessage(), e);
        }
        return store;
    }

    /** A TLS context that trusts these certificates (and verifies host names, as every JDK client does). */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ClientConfigException("truststore " + location + " cannot be used: " + e.getMessage(), e);
        }
    }

    private KeyStore pem(byte[] content) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = new java.io.ByteArrayInputStream(content)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException | IOException e) {
            throw new ClientConfigException(
                    "truststore " + location + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
        try {
            KeyStore store = KeyStore.getInstance(PKCS12);
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("certificate-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot make an empty PKCS12 store", e);
        }
    }

    private KeyStore keyStore(byte[] content) {
        try (InputStream in = new java.io.ByteArrayInputStream(content)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ClientConfigException("truststore " + location + " (" + type
                        + ") cannot be opened with the password given: is the password right?");
            }
            throw new ClientConfigException(
                    "truststore " + location + " is not a readable " + type + " file: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ClientConfigException("truststore " + location + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return location + " (" + type + (password == null ? "" : ", password " + Secrets.HIDDEN) + ")";
    }
}
