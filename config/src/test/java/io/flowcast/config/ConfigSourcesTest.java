package io.flowcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static io.flowcast.config.ConfigFixture.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Where values come from: precedence, environment, flags, substitutions, and files that cannot be read.
 */
class ConfigSourcesTest
{
    @TempDir
    Path dir;

    private int port(final Path file, final Map<String, String> env, final List<ConfigOverride> flags)
    {
        final ConfigResult result = ConfigFixture.load(file, env, flags);
        assertThat(result.problems()).isEmpty();
        return result.config().rtmfp().port();
    }

    @Test
    void precedenceIsDefaultsThenFileThenEnvironmentThenFlags()
    {
        final Path file = ConfigFixture.write(dir, "rtmfp.port = 2000");
        final Map<String, String> env = Map.of("FLOWCAST_RTMFP_PORT", "3000");
        final List<ConfigOverride> flags = List.of(ConfigOverride.parseSet("rtmfp.port=4000"));

        assertThat(port(null, Map.of(), List.of())).isEqualTo(1935);
        assertThat(port(file, Map.of(), List.of())).isEqualTo(2000);
        assertThat(port(file, env, List.of())).isEqualTo(3000);
        assertThat(port(null, env, List.of())).isEqualTo(3000);
        assertThat(port(file, env, flags)).isEqualTo(4000);
        assertThat(port(file, Map.of(), flags)).isEqualTo(4000);
        // among flags, the later one wins
        assertThat(port(file, env, List.of(flags.get(0), new ConfigOverride("rtmfp.port", "5000", "--rtmfp"))))
            .isEqualTo(5000);
    }

    @Test
    void flowcastKeylogIsAnAliasOfLoggingKeylog()
    {
        final ConfigResult result = ConfigFixture.load(null, Map.of("FLOWCAST_KEYLOG", "/tmp/flowcast-test.keylog"),
            List.of());
        assertThat(result.problems()).isEmpty();
        assertThat(result.config().logging().keylog()).contains(Path.of("/tmp/flowcast-test.keylog"));
        assertThat(EnvironmentKeys.keyFor("FLOWCAST_LOGGING_KEYLOG")).isEqualTo("logging.keylog");
    }

    @Test
    void environmentAndFlagsTakeListsAsCommaSeparatedTextOrHocon()
    {
        final ConfigResult result = ConfigFixture.load(null,
            Map.of("FLOWCAST_RTMFP_BIND", "127.0.0.1, ::1"),
            List.of(ConfigOverride.parseSet("crypto.dh-groups=[2, 14]"),
                ConfigOverride.parseSet("apps.live.auth-keys=0123456789abcdef")));
        assertThat(result.problems()).isEmpty();
        assertThat(result.config().rtmfp().bindAddresses()).containsExactly(
            address("127.0.0.1"), address("::1"));
        assertThat(result.config().crypto().dhGroups()).containsExactly(2, 14);
        assertThat(result.config().app("live").authKeys()).containsExactly("0123456789abcdef");
    }

    @Test
    void aBadFlagValueNamesTheFlag()
    {
        final ConfigResult result = ConfigFixture.load(null, Map.of(),
            List.of(ConfigOverride.parseSet("rtmfp.port=99999")));
        assertThat(result.problems()).containsExactly(new ConfigProblem("rtmfp.port", "99999",
            "must be a whole number from 1 to 65535", "use a port from 1 to 65535, e.g. 1935", "--set", 0));
        assertThat(result.problems().get(0).format())
            .isEqualTo("--set: rtmfp.port = 99999: must be a whole number from 1 to 65535; " +
                "fix: use a port from 1 to 65535, e.g. 1935");
    }

    @Test
    void malformedOverrides()
    {
        final ConfigResult result = ConfigFixture.load(null, Map.of(),
            List.of(new ConfigOverride("rtmfp..port", "1", "--set"), new ConfigOverride("rtmfp.bind", "[1,", "--set")));
        assertThat(result.problems()).extracting(ConfigProblem::reason)
            .satisfiesExactly(
                r -> assertThat(r).isEqualTo("not a valid key"),
                r -> assertThat(r).startsWith("not a valid value: "));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigOverride.parseSet("rtmfp.port"))
            .hasMessage("'rtmfp.port' is not key=value; write e.g. --set rtmfp.port=1935");
    }

    @Test
    void fileSubstitutionsUseTheGivenEnvironmentOnly()
    {
        final Path file = ConfigFixture.write(dir,
            "rtmfp.bind = [${BIND_IP}]\nlogging.file = ${?NO_SUCH_VARIABLE_FOR_FLOWCAST}");
        final ConfigResult ok = ConfigFixture.load(file, Map.of("BIND_IP", "10.0.0.4"), List.of());
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.config().rtmfp().bindAddresses()).containsExactly(address("10.0.0.4"));

        final ConfigResult missing = ConfigFixture.load(file, Map.of(), List.of());
        assertThat(missing.problems()).singleElement().satisfies(p ->
        {
            assertThat(p.origin()).isEqualTo(file.toString());
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.reason()).contains("BIND_IP");
            assertThat(p.fix()).isEqualTo("write ${?NAME} to make a substitution optional, or set NAME");
        });
    }

    @Test
    void aMissingFileIsOneClearLine()
    {
        final Path file = dir.resolve("nope.conf");
        final ConfigResult result = ConfigFixture.load(file);
        assertThat(result.isValid()).isFalse();
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).format()).isEqualTo(file + ": cannot read the configuration file: " +
            "no such file; fix: check the path, or start one with: flowcast config defaults > " + file);
    }

    @Test
    void aDirectoryIsOneClearLine()
    {
        assertThat(ConfigFixture.load(dir).problems()).extracting(ConfigProblem::format).containsExactly(
            dir + ": cannot read the configuration file: it is a directory; fix: give the path of a file");
    }

    @Test
    void anUnreadableFileIsOneClearLine() throws Exception
    {
        final Path file = ConfigFixture.write(dir, "rtmfp.port = 1935");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(file)).as("running as root: permissions do not apply").isFalse();
        assertThat(ConfigFixture.load(file).problems()).extracting(ConfigProblem::format).containsExactly(
            file + ": cannot read the configuration file: permission denied; fix: make it readable by this user, " +
            "e.g. chmod u+r " + file);
    }

    @Test
    void aSyntaxErrorNamesTheLine()
    {
        final Path file = ConfigFixture.write(dir, "rtmfp {\n  port = 1935\n  bind = [\"::\"\n}\n");
        final List<ConfigProblem> problems = ConfigFixture.load(file).problems();
        assertThat(problems).singleElement().satisfies(p ->
        {
            assertThat(p.origin()).isEqualTo(file.toString());
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.key()).isEmpty();
            assertThat(p.fix()).isEqualTo("correct the syntax (HOCON: key = value, sections in { })");
            assertThat(p.format()).startsWith(file + ":4: ").doesNotContain("\n").doesNotContain("Exception");
        });
    }

    @Test
    void includesAreRelativeToTheFile() throws Exception
    {
        Files.writeString(dir.resolve("bind.conf"), "rtmfp.bind = [\"10.0.0.4\"]\n");
        final Path file = ConfigFixture.write(dir, "include \"bind.conf\"\nrtmfp.port = 1936\n");
        final ConfigResult result = ConfigFixture.load(file);
        assertThat(result.problems()).isEmpty();
        assertThat(result.config().rtmfp().bindAddresses()).containsExactly(address("10.0.0.4"));
    }

    @Test
    void sseqWithoutHmacIsANote()
    {
        final ConfigResult result = ConfigFixture.load(ConfigFixture.write(dir,
            "crypto.hmac = off"));
        assertThat(result.problems()).isEmpty();
        assertThat(result.notes()).containsExactly("crypto: session sequence numbers without HMAC are protected " +
            "only by the checksum (RFC 7425 notes 4.5); consider crypto.hmac = required.");
    }
}
