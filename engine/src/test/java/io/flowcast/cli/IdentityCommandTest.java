package io.flowcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void fingerprintSurvivesRestartsAndTheKeyFileIsPrivate() throws Exception
    {
        final Path keyFile = dir.resolve("identity.key");
        assertThat(run("identity", "--set", "identity.key-file=" + keyFile)).isZero();
        final String first = out.toString().trim();
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(err.toString()).contains("created key file");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        assertThat(run("identity", "--set", "identity.key-file=" + keyFile)).isZero();
        assertThat(out.toString().trim()).isEqualTo(first);
        assertThat(err.toString()).doesNotContain("created");

        final Path other = dir.resolve("other.key");
        assertThat(run("identity", "--set", "identity.key-file=" + other)).isZero();
        assertThat(out.toString().trim()).isNotEqualTo(first);
    }

    @Test
    void refusesAKeyFileOthersCanRead() throws Exception
    {
        final Path keyFile = dir.resolve("identity.key");
        assertThat(run("identity", "--set", "identity.key-file=" + keyFile)).isZero();
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(run("identity", "--set", "identity.key-file=" + keyFile)).isEqualTo(1);
        assertThat(err.toString()).contains("chmod 600").doesNotContain("Exception");
    }

    @Test
    void changingTheDhGroupsChangesTheFingerprint()
    {
        final Path keyFile = dir.resolve("identity.key");
        assertThat(run("identity", "--set", "identity.key-file=" + keyFile)).isZero();
        final String all = out.toString().trim();
        assertThat(run("identity", "--set", "identity.key-file=" + keyFile, "--set", "crypto.dh-groups=[2,14]"))
            .isZero();
        assertThat(out.toString().trim()).isNotEqualTo(all);
    }
}
