package io.flowcast.cli;

import io.flowcast.config.ConfigLoader;
import io.flowcast.config.ConfigOverride;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path write(final String text) throws Exception
    {
        final Path file = dir.resolve("flowcast.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsPrintsTheDefaultFileAndItPassesCheck() throws Exception
    {
        assertThat(run("config", "defaults")).isZero();
        assertThat(out.toString()).isEqualTo(ConfigLoader.defaultsText());
        final Path file = write(out.toString());
        out.getBuffer().setLength(0);

        assertThat(run("config", "check", file.toString(), "--set", "identity.key-file=" + dir.resolve("id.key")))
            .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith(file + ": ok\n").contains("rtmfp: UDP [::] port 1935");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkPrintsEveryProblemOneLineEach() throws Exception
    {
        final Path file = write("rtmfp.port = 70000\nrtmfp.prot = 1\n");
        assertThat(run("config", "check", file.toString())).isEqualTo(ConfigCheckCommand.EXIT_PROBLEMS);
        assertThat(err.toString().split("\n")).containsExactly(
            file + ":2: rtmfp.prot = 1: unknown key; fix: did you mean rtmfp.port?",
            file + ":1: rtmfp.port = 70000: must be a whole number from 1 to 65535; fix: use a port from 1 to " +
                "65535, e.g. 1935",
            "flowcast config check: 2 problems in " + file);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void checkTakesSetFlagsOverTheFile() throws Exception
    {
        final Path file = write("rtmfp.port = 1936\n");
        assertThat(run("config", "check", file.toString(), "--set", "rtmfp.port=0")).isEqualTo(1);
        assertThat(err.toString()).startsWith("--set: rtmfp.port = 0: must be a whole number from 1 to 65535");
    }

    @Test
    void checkShowsWhatTheServerWillDoAndNothingItWillNot() throws Exception
    {
        final Path file = write("identity.key-file = \"" + dir.resolve("id.key") + "\"\nlogging.level = debug\n" +
            "logging.file = \"" + dir.resolve("flowcast.log") + "\"\n");
        assertThat(run("config", "check", "--config", file.toString(), "--rtmfp", "0.0.0.0:19350"))
            .as(err.toString()).isZero();
        assertThat(out.toString()).contains(
            "rtmfp: UDP 0.0.0.0 port 19350 (one endpoint agent, shared threading)\n",
            "logging: debug and above to " + dir.resolve("flowcast.log") + "\n")
            .doesNotContain("core listener", "advertised", "stats:");
    }

    @Test
    void aNotYetSupportedKeyIsOneClearLine() throws Exception
    {
        final Path file = write("rtmfp.core-listeners = 2\n");
        assertThat(run("config", "check", file.toString())).isEqualTo(1);
        assertThat(err.toString().split("\n")).containsExactly(
            file + ":1: rtmfp.core-listeners = 2: not supported yet (cores behind one port are issue 16); " +
                "fix: remove the key",
            "flowcast config check: 1 problem in " + file);
        assertThat(run("config", "check", "--public-address", "203.0.113.7")).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void rtmfpIsRepeatableWithOnePort()
    {
        assertThat(run("config", "check", "--set", "identity.key-file=" + dir.resolve("id.key"),
            "--rtmfp", "127.0.0.1:1950", "--rtmfp", "[::1]:1950")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("rtmfp: UDP 127.0.0.1, [::1] port 1950");

        assertThat(run("config", "check", "--rtmfp", "127.0.0.1:1950", "--rtmfp", "[::1]:1951")).isEqualTo(1);
        assertThat(err.toString()).contains("--rtmfp: all addresses share one port (rtmfp.port)", "1950", "1951")
            .doesNotContain("Exception");
    }

    @Test
    void aMissingFileIsOneClearLine()
    {
        final Path file = dir.resolve("nope.conf");
        assertThat(run("config", "check", file.toString())).isEqualTo(1);
        assertThat(err.toString().split("\n")).containsExactly(
            file + ": cannot read the configuration file: no such file; fix: check the path, or start one with: " +
                "flowcast config defaults > " + file,
            "flowcast config check: 1 problem in " + file);
    }

    @Test
    void aMalformedSetIsAUsageError()
    {
        assertThat(run("config", "check", "--set", "rtmfp.port")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'rtmfp.port' is not key=value; write e.g. --set rtmfp.port=1935");
    }

    @Test
    void anExposedIdentityFileIsAProblem() throws Exception
    {
        final Path key = dir.resolve("id.key");
        Files.writeString(key, "x\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("config", "check", "--set", "identity.key-file=" + key)).isEqualTo(1);
        assertThat(err.toString()).startsWith("identity.key-file = " + key + ": identity key file " + key +
            " is accessible by group or others (rw-r--r--)");
    }

    @Test
    void hostPortFlags()
    {
        final ConfigOptions options = new ConfigOptions();
        new CommandLine(options).parseArgs("--rtmfp", "[::1]:1940", "--rtmp", "10.0.0.4", "--record", "rec",
            "--set", "rtmfp.port=1941");
        assertThat(options.overrides()).containsExactly(
            new ConfigOverride("rtmfp.bind", "::1", "--rtmfp"),
            new ConfigOverride("rtmfp.port", "1940", "--rtmfp"),
            new ConfigOverride("rtmp.bind", "10.0.0.4", "--rtmp"),
            new ConfigOverride("recorder.enabled", "true", "--record"),
            new ConfigOverride("recorder.directory", "rec", "--record"),
            new ConfigOverride("recorder.streams", "*", "--record"),
            new ConfigOverride("rtmfp.port", "1941", "--set"));
        assertThat(new ConfigOptions().overrides()).isEqualTo(List.of());
    }

    @Test
    void configWithoutSubcommandShowsUsage()
    {
        assertThat(run("config")).isZero();
        assertThat(out.toString()).contains("defaults", "check");
    }
}
