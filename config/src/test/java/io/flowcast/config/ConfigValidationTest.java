package io.flowcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule with a good value (no problem) and a bad one (the exact problem).
 */
class ConfigValidationTest
{
    private static final String PORT_FIX = "use a port from 1 to 65535, e.g. ";
    private static final String NAT_FIX = "bind :: or 0.0.0.0 (public addresses behind NAT are not supported yet)";
    private static final String CORES = "not supported yet (cores behind one port are issue 16)";
    private static final String STATS = "not supported yet (no HTTP statistics yet; flowcast stat reads the " +
        "counters file)";

    @TempDir
    Path dir;

    private Path file;

    private List<ConfigProblem> problems(final String text)
    {
        file = ConfigFixture.write(dir, text);
        return ConfigFixture.load(file).problems();
    }

    private void good(final String text)
    {
        assertThat(problems(text)).as(text).isEmpty();
    }

    private void bad(final String text, final String key, final String value, final String reason, final String fix)
    {
        bad(text, key, value, reason, fix, 1);
    }

    private void bad(
        final String text, final String key, final String value, final String reason, final String fix, final int line)
    {
        assertThat(problems(text)).as(text)
            .containsExactly(new ConfigProblem(key, value, reason, fix, file.toString(), line));
    }

    @Test
    void ports()
    {
        good("rtmfp.port = 1936\nrtmp.port = 1");
        bad("rtmfp.port = 70000", "rtmfp.port", "70000", "must be a whole number from 1 to 65535", PORT_FIX + "1935");
        bad("rtmfp.port = 0", "rtmfp.port", "0", "must be a whole number from 1 to 65535", PORT_FIX + "1935");
        bad("rtmp.port = http", "rtmp.port", "http", "must be a whole number from 1 to 65535", PORT_FIX + "1935");
    }

    @Test
    void bindAddressMustBeOnThisMachineWithANatHint()
    {
        good("rtmfp.bind = [\"10.0.0.4\", \"0.0.0.0\"]");
        bad("rtmfp.bind = [\"203.0.113.7\"]", "rtmfp.bind", "203.0.113.7",
            "not an address of this machine (it has: " + ownAddresses() + ")", NAT_FIX);
        bad("rtmp.bind = [\"203.0.113.7\"]", "rtmp.bind", "203.0.113.7",
            "not an address of this machine (it has: " + ownAddresses() + ")",
            "bind :: or 0.0.0.0 (a TCP port forwarded through NAT needs no setting)");
    }

    private static String ownAddresses()
    {
        final StringBuilder sb = new StringBuilder();
        for (final java.net.InetAddress a : ConfigFixture.MACHINE.addresses())
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(IpAddresses.toText(a));
        }
        return sb.toString();
    }

    @Test
    void bindAddressForm()
    {
        bad("rtmfp.bind = [\"media.example.com\"]", "rtmfp.bind", "media.example.com",
            "is a host name; bind addresses must be IP addresses so binding never depends on DNS",
            "write an IP address of this machine, or :: for all");
        bad("rtmfp.bind = [\"0.0.0.0:1935\"]", "rtmfp.bind", "0.0.0.0:1935",
            "has a port; bind addresses are IP addresses only", "write the port in rtmfp.port");
        bad("rtmp.bind = [\"[::]:1935\"]", "rtmp.bind", "[::]:1935",
            "has a port; bind addresses are IP addresses only", "write the port in rtmp.port");
        bad("rtmfp.bind = [\"10.0.4\"]", "rtmfp.bind", "10.0.4", "not an IP address",
            "write an IP address of this machine, e.g. :: (all) or 0.0.0.0 (all IPv4)");
        bad("rtmfp.bind = []", "rtmfp.bind", "[]", "no address to bind", "list at least one, e.g. [\"::\"]");
        bad("rtmfp.bind = [\"10.0.0.4\", \"10.0.0.4\"]", "rtmfp.bind", "10.0.0.4", "listed twice", "remove one");
    }

    @Test
    void bothWildcardsOnOnePortAreRefused()
    {
        good("rtmfp.bind = [\"::\"]");
        good("rtmfp.bind = [\"0.0.0.0\", \"::1\"]");
        bad("rtmfp.bind = [\"0.0.0.0\", \"::\"]", "rtmfp.bind", "[\"0.0.0.0\",\"::\"]",
            "0.0.0.0 and :: together: a :: socket is dual-stack (it also receives IPv4), so binding both on one " +
            "port fails with 'Address already in use'", "keep only :: (IPv4 and IPv6) or only 0.0.0.0 (IPv4 only)");
    }

    @Test
    void theIpv6WildcardNeedsIpv6()
    {
        final LocalMachine v4Only = new LocalMachine(java.util.Set.of(ConfigFixture.address("10.0.0.4"),
            ConfigFixture.address("127.0.0.1")), 2);
        assertThat(ConfigLoader.load(null, Map.of(), List.of(new ConfigOverride("rtmfp.bind", "0.0.0.0", "--set"),
            new ConfigOverride("rtmp.bind", "10.0.0.4", "--set")), v4Only).problems()).isEmpty();
        // The defaults bind "::", which an IPv4-only JVM cannot (measured: UnsupportedAddressTypeException).
        assertThat(ConfigLoader.load(null, Map.of(), List.of(new ConfigOverride("rtmp.bind", "10.0.0.4", "--set")),
            v4Only).problems()).singleElement().satisfies(p ->
            {
                assertThat(p.key()).isEqualTo("rtmfp.bind");
                assertThat(p.value()).isEqualTo("::");
                assertThat(p.reason()).isEqualTo(":: needs IPv6, but this JVM sees no IPv6 address on this machine " +
                    "(IPv6 disabled, or java.net.preferIPv4Stack=true), so binding it would fail");
                assertThat(p.fix()).isEqualTo("bind 0.0.0.0 (IPv4 only)");
            });
    }

    @Test
    void anyMainPortWorks()
    {
        // there are no core ports any more for the main port to collide with
        good("rtmfp.port = 19350");
        good("rtmfp.port = 65535");
        good("rtmfp.port = 1\nrtmp.port = 65535");
    }

    @Test
    void notYetSupportedKeysAreRefusedUnlessOff()
    {
        assertThat(ConfigLoader.unsupportedKeys()).containsExactly("rtmfp.core-listeners", "rtmfp.core-ports",
            "rtmfp.public-addresses", "stats.bind", "stats.enabled", "stats.port");
        bad("rtmfp.core-listeners = 2", "rtmfp.core-listeners", "2", CORES, "remove the key");
        bad("rtmfp.core-ports = \"20000-20099\"", "rtmfp.core-ports", "20000-20099", CORES, "remove the key");
        bad("rtmfp.public-addresses = [\"203.0.113.7\"]", "rtmfp.public-addresses", "[\"203.0.113.7\"]",
            "not supported yet (public addresses are advertised in redirects to cores: cores behind one port are " +
            "issue 16)", "remove the key");
        bad("stats.enabled = true", "stats.enabled", "true", STATS, "remove the key");
        bad("stats.port = 9000", "stats.port", "9000", STATS, "remove the key");
        bad("stats.bind = \"10.0.0.4\"", "stats.bind", "10.0.0.4", STATS, "remove the key");
        // what an older `config defaults` wrote is their off state, and loads
        good("rtmfp {\n  public-addresses = []\n  core-ports = \"19350-65535\"\n  core-listeners = auto\n}\n" +
            "stats {\n  enabled = false\n  bind = \"127.0.0.1\"\n  port = 8935\n}");
        assertThat(ConfigLoader.defaultsText()).doesNotContain("core-ports =", "core-listeners =",
            "public-addresses =", "stats {");
    }

    @Test
    void choices()
    {
        good("threading.mode = INVOKER\nthreading.idle-strategy = noop\nlogging.level = trace");
        bad("threading.mode = dedicatd", "threading.mode", "dedicatd", "not one of: shared, dedicated, invoker",
            "did you mean dedicated?");
        bad("threading.idle-strategy = busyspin", "threading.idle-strategy", "busyspin",
            "not one of: backoff, sleeping, yielding, busy-spin, noop", "did you mean busy-spin?");
        bad("crypto.hmac = always", "crypto.hmac", "always", "not one of: required, on-request, off",
            "write one of those");
        bad("logging.level = verbose", "logging.level", "verbose", "not one of: error, warn, info, debug, trace",
            "write one of those");
    }

    @Test
    void booleans()
    {
        good("rtmp.enabled = off\nrecorder.enabled = no");
        bad("rtmp.enabled = maybe", "rtmp.enabled", "maybe", "must be true or false", "write true or false");
    }

    @Test
    void hmacLength()
    {
        good("crypto.hmac-length = 4");
        good("crypto.hmac-length = 32");
        bad("crypto.hmac-length = 40", "crypto.hmac-length", "40", "must be a whole number from 4 to 32",
            "RFC 7425 allows 4 to 32 HMAC bytes; 16 is usual");
    }

    @Test
    void dhGroupsMustBeKnownAndIncludeGroupTwo()
    {
        good("crypto.dh-groups = [2]");
        good("crypto.dh-groups = [16, 14, 2]");
        bad("crypto.dh-groups = [3, 2]", "crypto.dh-groups", "3",
            "group 3 is not an RFC 7425 Diffie-Hellman group", "use groups from 2, 5, 14, 16");
        bad("crypto.dh-groups = [2, 2]", "crypto.dh-groups", "2", "group 2 is listed twice", "remove one");
        bad("crypto.dh-groups = [x, 2]", "crypto.dh-groups", "x", "not a group number", "use groups from 2, 5, 14, 16");
        bad("crypto.dh-groups = [14, 16]", "crypto.dh-groups", "[14,16]",
            "group 2 is missing: Flash Player and most RTMFP clients only offer 1024-bit group 2, so they could " +
            "not key a session", "add 2, e.g. [2, 14, 16]");
    }

    @Test
    void paths()
    {
        bad("identity.key-file = \"\"", "identity.key-file", "", "is empty",
            "write a file path, e.g. flowcast-identity.key");
        bad("recorder.directory = \" \"", "recorder.directory", " ", "is empty", "write a file path, e.g. recordings");
    }

    @Test
    void filesWeWriteNeedAnExistingDirectory()
    {
        good("identity.key-file = \"" + dir.resolve("id.key") + "\"\nlogging.file = \"" + dir.resolve("f.log") + "\"");
        final Path missing = dir.resolve("missing");
        bad("identity.key-file = \"" + missing.resolve("id.key") + "\"", "identity.key-file",
            missing.resolve("id.key").toString(), "its directory " + missing + " does not exist",
            "create the directory or choose another path");
        bad("logging.file = \"" + missing.resolve("f.log") + "\"", "logging.file",
            missing.resolve("f.log").toString(), "its directory " + missing + " does not exist",
            "create the directory or choose another path");
        bad("identity.key-file = \"" + dir + "\"", "identity.key-file", dir.toString(), "is a directory",
            "give a file path, e.g. " + dir.resolve("flowcast-identity.key"));
    }

    @Test
    void recorderDirectoryMustBeADirectoryWhenEnabled() throws Exception
    {
        final Path plain = Files.writeString(dir.resolve("plain"), "x");
        good("recorder.enabled = false\nrecorder.directory = \"" + plain + "\"");
        good("recorder.enabled = true\nrecorder.directory = \"" + dir.resolve("not-yet") + "\"");
        bad("recorder.enabled = true\nrecorder.directory = \"" + plain + "\"", "recorder.directory",
            plain.toString(), "exists and is not a directory", "choose a directory (it is created if missing)", 2);
    }

    @Test
    void durations()
    {
        good("recorder.retention = 0\napp-defaults.audio-lifetime = 1ms");
        good("recorder.roll-cycle = five-minutely\nrecorder.ring-size = 64k");
        bad("recorder.roll-cycle = hourl", "recorder.roll-cycle", "hourl",
            "not one of: five-minutely, ten-minutely, half-hourly, hourly, two-hourly, four-hourly, six-hourly, " +
            "daily, weekly, large-hourly, large-daily", "did you mean hourly?");
        bad("recorder.ring-size = 3m", "recorder.ring-size", "3m",
            "must be a power of 2 (the ring buffer indexes with a mask)", "write e.g. 8m or 16m");
        bad("app-defaults.audio-lifetime = 0s", "app-defaults.audio-lifetime", "0s", "must be at least 1ms",
            "write a longer duration, e.g. 2s");
        bad("app-defaults.video-lifetime = soon", "app-defaults.video-lifetime", "soon", "not a duration",
            "write a number with a unit, e.g. 500ms, 2s, 12h, 7d");
        bad("apps.live.video-lifetime = -1s", "apps.live.video-lifetime", "-1s", "must be at least 1ms",
            "write a longer duration, e.g. 2s");
    }

    @Test
    void sizesAndLimits()
    {
        good("limits.session-buffer-bytes = 64 KiB\nlimits.flow-buffer-bytes = 64 KiB");
        bad("limits.session-buffer-bytes = lots", "limits.session-buffer-bytes", "lots", "not a size",
            "write a number of bytes or a number with a unit, e.g. 65536, 512 KiB, 4 MiB");
        bad("limits.flow-buffer-bytes = 8 MiB", "limits.flow-buffer-bytes", "8 MiB",
            "larger than limits.session-buffer-bytes = 4194304; a flow's buffer is part of its session's",
            "lower it or raise limits.session-buffer-bytes");
        bad("limits.max-sessions = 0", "limits.max-sessions", "0", "must be a whole number from 1 to 10000000",
            "write how many sessions at most, e.g. 10000");
        bad("limits.flow-buffer-bytes = 100", "limits.flow-buffer-bytes", "100",
            "must be from 1024 to 2147483647 bytes", "write a size in that range, e.g. 1 MiB");
    }

    @Test
    void cidrs()
    {
        good("app-defaults.publish.allow = [\"10.0.0.0/8\", \"2001:db8::/32\", \"192.0.2.1\"]");
        final String fix = "write NETWORK/PREFIX, e.g. 10.0.0.0/8 or 2001:db8::/32, or a single address";
        bad("app-defaults.publish.allow = [\"10.0.0.1/8\"]", "app-defaults.publish.allow", "10.0.0.1/8",
            "not a network: host bits are set after the /8 prefix (the network is 10.0.0.0/8)", fix);
        bad("apps.live.play.deny = [\"10.0.0.0/33\"]", "apps.live.play.deny", "10.0.0.0/33",
            "not a network: the prefix length must be 0..32", fix);
        bad("apps.live.play.allow = \"intranet\"", "apps.live.play.allow", "intranet",
            "not a network: 'intranet' is not an IP address", fix);
    }

    @Test
    void authKeysAreLongAndNeverEchoed()
    {
        good("apps.live.auth-keys = [\"0123456789abcdef\"]");
        bad("apps.live.auth-keys = [\"secret\"]", "apps.live.auth-keys", "(hidden, 6 characters)",
            "shorter than 16 characters: easy to guess", "use a long random key, e.g. from: openssl rand -hex 16");
    }

    @Test
    void appNames()
    {
        good("apps.my-app-2 {}");
        bad("apps.My_App {}", "apps.My_App", "My_App", "app names are a-z, 0-9 and -, starting with a letter or digit",
            "rename it, e.g. my-app");
    }

    @Test
    void unknownKeysSuggestTheNearestKnownKey()
    {
        bad("rtmfp.prot = 1935", "rtmfp.prot", "1935", "unknown key", "did you mean rtmfp.port?");
        bad("rtmfp {\n  bnd = [\"::\"]\n}", "rtmfp.bnd", "[\"::\"]", "unknown key", "did you mean rtmfp.bind?", 2);
        bad("rtmp.key-file = x", "rtmp.key-file", "x", "unknown key", "did you mean identity.key-file?");
        bad("apps.live.auth-key = []", "apps.live.auth-key", "[]", "unknown key", "did you mean apps.live.auth-keys?");
        bad("colour = blue", "colour", "blue", "unknown key", "remove it; flowcast config defaults lists every key");
    }

    @Test
    void unknownEnvironmentVariablesSuggestTheVariable()
    {
        final ConfigResult result = ConfigFixture.load(null, Map.of("FLOWCAST_RTMFP_PROT", "1935",
            "FLOWCAST_JAVA_OPTS", "-Xmx1g", "PATH", "/bin"), List.of());
        assertThat(result.problems()).containsExactly(new ConfigProblem("rtmfp.prot", "1935", "unknown key",
            "did you mean FLOWCAST_RTMFP_PORT?", "environment variable FLOWCAST_RTMFP_PROT", 0));
    }

    @Test
    void everyProblemIsReportedAtOnce()
    {
        assertThat(problems("rtmfp.port = 0\nrtmp.port = 0\ncrypto.dh-groups = [14]\nnope = 1"))
            .extracting(ConfigProblem::key)
            .containsExactly("nope", "rtmfp.port", "crypto.dh-groups", "rtmp.port");
    }
}
