package io.flowcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityKeyFileTest
{
    @TempDir
    Path dir;

    @Test
    void createdOnceWithOwnerOnlyPermissionsAndKept() throws Exception
    {
        final Path file = dir.resolve("identity.key");
        final byte[] first = IdentityKeyFile.loadOrCreate(file, new SecureRandom());

        assertThat(first).hasSize(IdentityKeyFile.SEED_LENGTH);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(IdentityKeyFile.HEADER);
        assertThat(lines.get(1)).matches("[0-9a-f]{128}");
        try (var entries = Files.list(dir))
        {
            assertThat(entries).containsExactly(file); // no temporary file left behind
        }

        // a "restart": the same bytes, not new ones
        assertThat(IdentityKeyFile.loadOrCreate(file, new SecureRandom())).isEqualTo(first);
        assertThat(IdentityKeyFile.load(file)).isEqualTo(first);
    }

    @Test
    void twoServersGetDifferentKeys()
    {
        assertThat(IdentityKeyFile.loadOrCreate(dir.resolve("a"), new SecureRandom()))
            .isNotEqualTo(IdentityKeyFile.loadOrCreate(dir.resolve("b"), new SecureRandom()));
    }

    @Test
    void aFileOthersCanReadIsRefused() throws Exception
    {
        final Path file = dir.resolve("identity.key");
        IdentityKeyFile.loadOrCreate(file, new SecureRandom());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> IdentityKeyFile.loadOrCreate(file, new SecureRandom()))
            .isInstanceOf(IdentityKeyFile.IdentityKeyException.class)
            .hasMessage("identity key file " + file + " is accessible by group or others (rw-r--r--); anyone who " +
                "reads it can impersonate this server. Run: chmod 600 " + file);
    }

    @Test
    void aMalformedFileIsRefusedNotReplaced() throws Exception
    {
        final Path file = dir.resolve("identity.key");
        Files.writeString(file, "hello\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> IdentityKeyFile.loadOrCreate(file, new SecureRandom()))
            .hasMessage("identity key file " + file + " is not a Flowcast identity key (expected the header line " +
                "and 128 hex digits); move it away and a new identity is made on next start (the fingerprint changes)");
        assertThat(Files.readString(file)).isEqualTo("hello\n");
    }

    @Test
    void aMissingDirectoryIsAClearMessage()
    {
        final Path file = dir.resolve("no-such-dir").resolve("identity.key");
        assertThatThrownBy(() -> IdentityKeyFile.loadOrCreate(file, new SecureRandom()))
            .hasMessageStartingWith("cannot create identity key file " + file + ": ")
            .hasMessageEndingWith("; check that the directory exists and is writable, or set identity.key-file");
    }
}
