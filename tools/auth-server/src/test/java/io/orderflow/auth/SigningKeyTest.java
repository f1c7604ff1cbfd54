package io.orderflow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

    @TempDir
    Path directory;

    @Test
    void createsAnOwnerOnlyKeyOnceAndReusesIt() throws Exception {
        Path file = directory.resolve("keys").resolve("signing-key.json");

        RSAKey created = SigningKey.loadOrCreate(file);
        RSAKey again = SigningKey.loadOrCreate(file);

        assertThat(created.size()).isEqualTo(2048);
        assertThat(created.isPrivate()).isTrue();
        assertThat(created.getKeyID()).isEqualTo(created.computeThumbprint().toString());
        assertThat(again).isEqualTo(created);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesAFileThatHoldsNoPrivateKey() throws Exception {
        Path file = Files.writeString(
                directory.resolve("public.json"),
                SigningKey.generate().toPublicJWK().toJSONString());

        assertThatThrownBy(() -> SigningKey.read(file))
                .hasMessage("signing key file " + file + " holds no private key");
    }
}
