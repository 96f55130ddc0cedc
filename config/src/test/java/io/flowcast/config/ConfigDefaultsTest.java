package io.flowcast.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.flowcast.config.ConfigFixture.MACHINE;
import static io.flowcast.config.ConfigFixture.address;
import static org.assertj.core.api.Assertions.assertThat;

class ConfigDefaultsTest
{
    @TempDir
    Path dir;

    @Test
    void defaultsAreValidAndMatchTheDocumentedValues()
    {
        final ConfigResult result = ConfigLoader.load(null, Map.of(), List.of(), MACHINE);
        assertThat(result.problems()).isEmpty();
        final FlowcastConfig c = result.config();

        assertThat(c.rtmfp().bindAddresses()).containsExactly(address("::"));
        assertThat(c.rtmfp().port()).isEqualTo(1935);
        assertThat(c.threading()).isEqualTo(new ThreadingConfig(ThreadingMode.SHARED, IdleStrategyKind.BACKOFF));
        assertThat(c.crypto()).isEqualTo(new CryptoConfig(Negotiation.REQUIRED, 16, Negotiation.REQUIRED,
            List.of(2, 5, 14, 16)));
        assertThat(c.identity().keyFile()).isEqualTo(Path.of("flowcast-identity.key"));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(10000, 4L << 20, 1L << 20, 5000));
        assertThat(c.flows()).isEqualTo(new FlowsConfig(CongestionControlKind.RFC7016, 1 << 20,
            java.time.Duration.ofMillis(25), false));
        assertThat(c.apps()).isEmpty();
        final AppConfig app = c.app("anything");
        assertThat(app.name()).isEqualTo("*");
        assertThat(app.authKeys()).isEmpty();
        final AccessRules everyone = new AccessRules(
            List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")), List.of());
        assertThat(app.publish()).isEqualTo(everyone);
        assertThat(app.play()).isEqualTo(everyone);
        assertThat(app.audioLifetime()).isEqualTo(Duration.ofMillis(2200));
        assertThat(app.videoLifetime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.rtmp()).isEqualTo(new RtmpConfig(true, List.of(address("::")), 1935));
        assertThat(c.recorder()).isEqualTo(new RecorderConfig(false, Path.of("recordings"), List.of("*"),
            RollCycle.HOURLY, Duration.ofDays(7), 8 * 1024 * 1024));
        assertThat(c.logging()).isEqualTo(new LoggingConfig(LogLevel.INFO, Optional.empty(), Optional.empty()));
    }

    @Test
    void everyKeyIsParsedFromAFile()
    {
        // One non-default value for every key; the key set must equal the known keys, so a new key needs a line here.
        final Map<String, String> values = new java.util.TreeMap<>(Map.ofEntries(
            Map.entry("rtmfp.bind", "[\"10.0.0.4\", \"::1\"]"),
            Map.entry("rtmfp.port", "1936"),
            Map.entry("threading.mode", "dedicated"),
            Map.entry("threading.idle-strategy", "busy-spin"),
            Map.entry("crypto.hmac", "on-request"),
            Map.entry("crypto.hmac-length", "10"),
            Map.entry("crypto.session-sequence-numbers", "off"),
            Map.entry("crypto.dh-groups", "[14, 2]"),
            Map.entry("identity.key-file", "\"" + dir.resolve("id.key") + "\""),
            Map.entry("limits.max-sessions", "50"),
            Map.entry("limits.session-buffer-bytes", "2 MiB"),
            Map.entry("limits.flow-buffer-bytes", "65536"),
            Map.entry("limits.startup-packets-per-second", "100"),
            Map.entry("app-defaults.auth-keys", "[\"0123456789abcdef0123\"]"),
            Map.entry("app-defaults.publish.allow", "[\"10.0.0.0/8\"]"),
            Map.entry("app-defaults.publish.deny", "[\"10.9.0.0/16\"]"),
            Map.entry("app-defaults.play.allow", "[\"192.168.0.0/16\"]"),
            Map.entry("app-defaults.play.deny", "[\"192.168.1.1\"]"),
            Map.entry("app-defaults.audio-lifetime", "3s"),
            Map.entry("app-defaults.video-lifetime", "1500ms"),
            Map.entry("rtmp.enabled", "false"),
            Map.entry("rtmp.bind", "[\"127.0.0.1\"]"),
            Map.entry("rtmp.port", "1940"),
            Map.entry("rtmp.max-connections", "20"),
            Map.entry("rtmp.stall-timeout", "30s"),
            Map.entry("recorder.enabled", "true"),
            Map.entry("recorder.directory", "\"" + dir.resolve("rec") + "\""),
            Map.entry("recorder.streams", "[\"live/*\"]"),
            Map.entry("recorder.roll-cycle", "daily"),
            Map.entry("recorder.retention", "0"),
            Map.entry("recorder.ring-size", "1m"),
            Map.entry("logging.level", "debug"),
            Map.entry("logging.file", "\"flowcast.log\""),
            Map.entry("logging.keylog", "\"flowcast.keylog\""),
            Map.entry("flows.congestion-control", "delay"),
            Map.entry("flows.fixed-window", "256 KiB"),
            Map.entry("flows.delay-target", "40ms"),
            Map.entry("flows.latency-histograms", "true")));
        assertThat(values.keySet()).isEqualTo(ConfigLoader.knownKeys());

        final StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
        text.append("apps.studio.auth-keys = [\"studio-key-0123456789\"]\n");
        text.append("apps.studio.video-lifetime = 4s\n");
        text.append("apps.open {}\n");
        final ConfigResult result = ConfigFixture.load(ConfigFixture.write(dir, text.toString()));
        assertThat(result.problems()).isEmpty();
        final FlowcastConfig c = result.config();

        assertThat(c.rtmfp()).isEqualTo(new RtmfpConfig(List.of(address("10.0.0.4"), address("::1")), 1936));
        assertThat(c.threading()).isEqualTo(new ThreadingConfig(ThreadingMode.DEDICATED, IdleStrategyKind.BUSY_SPIN));
        assertThat(c.crypto()).isEqualTo(new CryptoConfig(Negotiation.ON_REQUEST, 10, Negotiation.OFF, List.of(14, 2)));
        assertThat(c.identity().keyFile()).isEqualTo(dir.resolve("id.key"));
        assertThat(c.limits()).isEqualTo(new LimitsConfig(50, 2L << 20, 65536, 100));
        assertThat(c.flows()).isEqualTo(new FlowsConfig(CongestionControlKind.DELAY, 256 << 10,
            java.time.Duration.ofMillis(40), true));
        final AppConfig defaults = c.appDefaults();
        assertThat(defaults.authKeys()).containsExactly("0123456789abcdef0123");
        assertThat(defaults.publish()).isEqualTo(new AccessRules(List.of(Cidr.parse("10.0.0.0/8")),
            List.of(Cidr.parse("10.9.0.0/16"))));
        assertThat(defaults.play()).isEqualTo(new AccessRules(List.of(Cidr.parse("192.168.0.0/16")),
            List.of(Cidr.parse("192.168.1.1/32"))));
        assertThat(defaults.audioLifetime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.videoLifetime()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.apps()).containsOnlyKeys("studio", "open");
        final AppConfig studio = c.app("studio");
        assertThat(studio.authKeys()).containsExactly("studio-key-0123456789");
        assertThat(studio.videoLifetime()).isEqualTo(Duration.ofSeconds(4));
        assertThat(studio.audioLifetime()).isEqualTo(Duration.ofSeconds(3)); // inherited
        assertThat(studio.publish()).isEqualTo(defaults.publish());
        assertThat(c.app("open")).isEqualTo(new AppConfig("open", defaults.authKeys(), defaults.publish(),
            defaults.play(), defaults.audioLifetime(), defaults.videoLifetime()));
        assertThat(c.app("unlisted")).isSameAs(defaults);
        assertThat(c.rtmp()).isEqualTo(new RtmpConfig(false, List.of(address("127.0.0.1")), 1940, 20,
            Duration.ofSeconds(30)));
        assertThat(c.recorder()).isEqualTo(new RecorderConfig(true, dir.resolve("rec"), List.of("live/*"),
            RollCycle.DAILY, Duration.ZERO, 1 << 20));
        assertThat(c.logging()).isEqualTo(new LoggingConfig(LogLevel.DEBUG, Optional.of(Path.of("flowcast.log")),
            Optional.of(Path.of("flowcast.keylog"))));
    }

    @Test
    void everyKeyInTheDefaultFileHasAComment()
    {
        final String[] lines = ConfigLoader.defaultsText().split("\n", -1);
        for (final Map.Entry<String, ConfigValue> entry : ConfigFactory.parseString(ConfigLoader.defaultsText())
            .entrySet())
        {
            int i = entry.getValue().origin().lineNumber() - 2; // the line above, 0-based
            while (i >= 0 && lines[i].trim().endsWith("{"))
            {
                i--;
            }
            assertThat(i).as(entry.getKey()).isGreaterThanOrEqualTo(0);
            assertThat(lines[i].trim()).as("comment above " + entry.getKey()).startsWith("#");
        }
    }

    @Test
    void theDefaultFilePassesItsOwnCheck()
    {
        final ConfigResult result = ConfigFixture.load(ConfigFixture.write(dir, ConfigLoader.defaultsText()));
        assertThat(result.problems()).isEmpty();
        assertThat(result.config()).isEqualTo(ConfigLoader.load(null, Map.of(), List.of(), MACHINE).config());
    }

    @Test
    void accessRulesDenyWinsAndFamiliesDoNotMix()
    {
        final AccessRules rules = new AccessRules(List.of(Cidr.parse("10.0.0.0/8")), List.of(Cidr.parse("10.1.0.0/16")));
        assertThat(rules.permits(address("10.2.3.4"))).isTrue();
        assertThat(rules.permits(address("10.1.3.4"))).isFalse();
        assertThat(rules.permits(address("11.0.0.1"))).isFalse();
        assertThat(rules.permits(address("::ffff:a02:304"))).isTrue(); // Java maps it to IPv4 10.2.3.4
        assertThat(rules.permits(InetAddress.getLoopbackAddress())).isFalse();
    }
}
